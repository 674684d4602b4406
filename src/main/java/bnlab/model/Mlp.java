package bnlab.model;

import bnlab.data.KnownDataset;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration.ListBuilder;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.weights.IWeightInit;
import org.deeplearning4j.nn.weights.WeightInitXavierUniform;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;

import java.util.List;

/**
 * A multilayer perceptron on flat 28x28 images: hidden Dense layers, each optionally
 * normalized, and a softmax output layer (never normalized).
 *
 * @param hidden                widths of the hidden layers, input side first
 * @param activation            activation of every hidden layer
 * @param normalization         how each hidden layer is normalized, if at all, and where
 * @param updater               optimizer
 * @param weightInit            initialization of the Dense layers' weights
 * @param gradientNormalization network-wide gradient normalization (never applied to BN layers)
 * @param dropout               where each hidden layer's dropout sits, if anywhere
 * @param dropRate              probability of dropping a value, as in Keras and PyTorch (DL4J's own
 *                              dropout takes the probability of keeping it)
 * @param seed                  seed of the weight initialization
 */
public record Mlp(List<Integer> hidden, Activation activation, Normalization normalization, IUpdater updater, IWeightInit weightInit, GradientNormalization gradientNormalization,
                  DropoutPlacement dropout, double dropRate, long seed) {

    public Mlp {
        hidden = List.copyOf(hidden);
    }

    /**
     * The tutorial's network: Dense 128, 64, 32 with relu, softmax over 10 classes, Adam with
     * learning rate 1e-3, Glorot-uniform weights (Keras's default).
     */
    public static Mlp tutorial(long seed) {
        return new Mlp(List.of(128, 64, 32), Activation.RELU, Normalization.NONE, new Adam(1e-3),
                new WeightInitXavierUniform(), GradientNormalization.None, DropoutPlacement.NONE, 0, seed);
    }

    public Mlp withNormalization(Normalization normalization) {
        return new Mlp(hidden, activation, normalization, updater, weightInit, gradientNormalization, dropout,
                dropRate, seed);
    }

    public Mlp withHidden(List<Integer> widths, Activation activation) {
        return new Mlp(widths, activation, normalization, updater, weightInit, gradientNormalization, dropout, dropRate, seed);
    }

    public Mlp withUpdater(IUpdater updater) {
        return new Mlp(hidden, activation, normalization, updater, weightInit, gradientNormalization, dropout, dropRate, seed);
    }

    public Mlp withWeightInit(IWeightInit weightInit) {
        return new Mlp(hidden, activation, normalization, updater, weightInit, gradientNormalization, dropout, dropRate, seed);
    }

    public Mlp withGradientNormalization(GradientNormalization gradientNormalization) {
        return new Mlp(hidden, activation, normalization, updater, weightInit, gradientNormalization, dropout, dropRate, seed);
    }

    /** Dropout in every hidden block, at {@code where}, dropping values with probability {@code rate}. */
    public Mlp withDropout(DropoutPlacement where, double rate) {
        return new Mlp(hidden, activation, normalization, updater, weightInit, gradientNormalization, where, rate, seed);
    }

    public MultiLayerConfiguration configuration() {
        ListBuilder layers = Blocks.layers(seed, updater, weightInit, gradientNormalization);
        for (int width : hidden) {
            Blocks.addNormalized(layers, new DenseLayer.Builder().nOut(width), activation, normalization,
                    dropout == DropoutPlacement.BEFORE_BN ? Blocks.dropout(dropRate) : null);
            if (dropout == DropoutPlacement.AFTER_ACTIVATION) {
                layers.layer(Blocks.dropout(dropRate));
            }
        }
        return layers.layer(Blocks.softmaxOutput(KnownDataset.CLASSES))
                .setInputType(InputType.feedForward(KnownDataset.PIXELS))
                .build();
    }
}
