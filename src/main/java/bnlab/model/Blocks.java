package bnlab.model;

import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration.ListBuilder;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
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

    /**
     * Adds {@code layer} with {@code activation}, normalized as {@code placement} says:
     * before the activation the layer itself computes no activation and an ActivationLayer
     * follows the BN.
     */
    static void addNormalized(ListBuilder layers, FeedForwardLayer.Builder<?> layer, Activation activation,
                              BnPlacement placement) {
        addNormalized(layers, layer, activation, placement, null);
    }

    /** As above, with {@code between} (if not null) right after {@code layer}, so before its BN. */
    static void addNormalized(ListBuilder layers, FeedForwardLayer.Builder<?> layer, Activation activation,
                              BnPlacement placement, Layer between) {
        layers.layer(layer.activation(placement == BnPlacement.BEFORE_ACTIVATION ? Activation.IDENTITY : activation)
                .build());
        if (between != null) {
            layers.layer(between);
        }
        switch (placement) {
            case NONE -> {
            }
            case BEFORE_ACTIVATION -> layers.layer(batchNormalization()).layer(new ActivationLayer(activation));
            case AFTER_ACTIVATION -> layers.layer(batchNormalization());
        }
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
