package bnlab.model;

import bnlab.model.layers.GroupNormalization;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration.ListBuilder;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.weights.IWeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/** The pieces bnlab's networks are made of, shared by the model builders. */
final class Blocks {

    /** Keras's BatchNormalization defaults: momentum 0.99 (DL4J calls it decay), epsilon 1e-3. */
    static final double KERAS_DECAY = 0.99;
    static final double KERAS_EPSILON = 1e-3;

    /**
     * Groups of a GroupNormalization. Wu and He's default of 32 would leave one channel per
     * group in a 32-filter convolution (instance normalization); 8 keeps 4 to 16 channels or
     * features per group in bnlab's networks, and Wu and He found the number of groups to
     * matter little between 2 and 64.
     */
    static final int GROUPS = 8;

    private Blocks() {
    }

    static ListBuilder layers(long seed, IUpdater updater, IWeightInit weightInit,
                              GradientNormalization gradientNormalization) {
        return new NeuralNetConfiguration.Builder()
                .seed(seed)
                .updater(updater)
                .weightInit(weightInit)
                .gradientNormalization(gradientNormalization)
                .list();
    }

    /** As below, with nothing between the layer and its normalization. */
    static void addNormalized(ListBuilder layers, FeedForwardLayer.Builder<?> layer, Activation activation,
                              Normalization normalization, BnPlacement placement) {
        addNormalized(layers, layer, activation, normalization, placement, null);
    }

    /**
     * Adds {@code layer} with {@code activation}, normalized by {@code normalization} where
     * {@code placement} says: before the activation the layer itself computes no activation
     * and an ActivationLayer follows the normalization. {@code between} (if not null) comes
     * right after {@code layer}, so before its normalization.
     */
    static void addNormalized(ListBuilder layers, FeedForwardLayer.Builder<?> layer, Activation activation,
                              Normalization normalization, BnPlacement placement, Layer between) {
        if (normalization == Normalization.LAYER && placement == BnPlacement.BEFORE_ACTIVATION
                && layer instanceof DenseLayer.Builder dense && between == null) {
            // DL4J's own layer norm: it normalizes xW before the bias and the activation.
            layers.layer(dense.hasLayerNorm(true).activation(activation).build());
            return;
        }
        layers.layer(layer.activation(placement == BnPlacement.BEFORE_ACTIVATION ? Activation.IDENTITY : activation)
                .build());
        if (between != null) {
            layers.layer(between);
        }
        switch (placement) {
            case NONE -> {
            }
            case BEFORE_ACTIVATION -> layers.layer(normalizing(normalization)).layer(new ActivationLayer(activation));
            case AFTER_ACTIVATION -> layers.layer(normalizing(normalization));
        }
    }

    /** NONE placement goes with NONE normalization and only with it. */
    static void requireConsistent(Normalization normalization, BnPlacement placement) {
        if ((normalization == Normalization.NONE) != (placement == BnPlacement.NONE)) {
            throw new IllegalArgumentException("normalization " + normalization + " with placement " + placement
                    + ": a normalization needs a place, and only no normalization has none");
        }
    }

    /** Before the activation, the tutorial's place for BN, for any normalization there is. */
    static BnPlacement defaultPlacement(Normalization normalization) {
        return normalization == Normalization.NONE ? BnPlacement.NONE : BnPlacement.BEFORE_ACTIVATION;
    }

    static Layer normalizing(Normalization normalization) {
        return switch (normalization) {
            case BATCH -> batchNormalization();
            case LAYER -> new GroupNormalization.Builder().groups(1).build();
            case GROUP -> new GroupNormalization.Builder().groups(GROUPS).build();
            case NONE -> throw new IllegalArgumentException("no normalization to place");
        };
    }

    /**
     * A DropoutLayer dropping values with probability {@code rate}. DL4J's dropout takes the
     * probability of keeping a value, Keras's and PyTorch's of dropping it: bnlab speaks Keras.
     */
    static DropoutLayer dropout(double rate) {
        return new DropoutLayer(1 - rate);
    }

    /**
     * A BN layer with Keras's defaults. Gradient normalization is off for it explicitly: DL4J
     * sends BN's running-mean and variance updates through the gradient, so a network-wide
     * gradient normalization would rescale them too.
     */
    static BatchNormalization batchNormalization() {
        return new BatchNormalization.Builder()
                .decay(KERAS_DECAY)
                .eps(KERAS_EPSILON)
                .gradientNormalization(GradientNormalization.None)
                .build();
    }

    static OutputLayer softmaxOutput(int classes) {
        return new OutputLayer.Builder(LossFunction.MCXENT)
                .nOut(classes)
                .activation(Activation.SOFTMAX)
                .build();
    }
}
