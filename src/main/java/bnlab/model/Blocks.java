package bnlab.model;

import bnlab.model.layers.GroupNormalization;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration.ListBuilder;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
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
                              Normalization normalization) {
        addNormalized(layers, layer, activation, normalization, null);
    }

    /**
     * Adds {@code layer} with {@code activation}, normalized by {@code normalization} where it
     * sits: before the activation the layer itself computes no activation and an
     * ActivationLayer follows the normalization. {@code between} (if not null) comes right
     * after {@code layer}, so before its normalization.
     */
    static void addNormalized(ListBuilder layers, FeedForwardLayer.Builder<?> layer, Activation activation,
                              Normalization normalization, Layer between) {
        boolean beforeActivation = normalization != Normalization.NONE && !normalization.afterActivation();
        if (normalization == Normalization.LAYER && layer instanceof DenseLayer.Builder dense && between == null) {
            // DL4J's own layer norm: it normalizes xW before the bias and the activation.
            layers.layer(dense.hasLayerNorm(true).activation(activation).build());
            return;
        }
        layers.layer(layer.activation(beforeActivation ? Activation.IDENTITY : activation).build());
        if (between != null) {
            layers.layer(between);
        }
        if (beforeActivation) {
            layers.layer(normalizing(normalization)).layer(new ActivationLayer(activation));
        } else if (normalization != Normalization.NONE) {
            layers.layer(normalizing(normalization));
        }
    }

    static Layer normalizing(Normalization normalization) {
        return switch (normalization) {
            case BATCH, BATCH_AFTER_ACTIVATION -> KerasBatchNorm.layer();
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

    static OutputLayer softmaxOutput(int classes) {
        return new OutputLayer.Builder(LossFunction.MCXENT)
                .nOut(classes)
                .activation(Activation.SOFTMAX)
                .build();
    }
}
