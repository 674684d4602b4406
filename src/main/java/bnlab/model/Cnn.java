package bnlab.model;

import bnlab.data.KnownDataset;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration.ListBuilder;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.weights.IWeightInit;
import org.deeplearning4j.nn.weights.WeightInitXavierUniform;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;

/**
 * The tutorial's convolutional network on 1x28x28 images: two blocks of Conv 3x3 -> BN ->
 * relu -> MaxPool 2x2 (32 then 64 filters), Dense 64 -> BN -> relu, softmax output; or with
 * another normalization in BN's place, or none.
 *
 * @param normalization how each hidden layer is normalized, if at all, and where
 * @param updater       optimizer
 * @param weightInit    initialization of the weights
 * @param seed          seed of the weight initialization
 */
public record Cnn(Normalization normalization, IUpdater updater, IWeightInit weightInit, long seed) {

    public static Cnn tutorial(long seed) {
        return new Cnn(Normalization.NONE, new Adam(1e-3), new WeightInitXavierUniform(), seed);
    }

    public Cnn withNormalization(Normalization normalization) {
        return new Cnn(normalization, updater, weightInit, seed);
    }

    public Cnn withUpdater(IUpdater updater) {
        return new Cnn(normalization, updater, weightInit, seed);
    }

    public MultiLayerConfiguration configuration() {
        ListBuilder layers = Blocks.layers(seed, updater, weightInit, GradientNormalization.None);
        for (int filters : new int[]{32, 64}) {
            Blocks.addNormalized(layers, new ConvolutionLayer.Builder(3, 3).nOut(filters), Activation.RELU, normalization);
            layers.layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX)
                    .kernelSize(2, 2).stride(2, 2).build());
        }
        Blocks.addNormalized(layers, new DenseLayer.Builder().nOut(64), Activation.RELU, normalization);
        return layers.layer(Blocks.softmaxOutput(KnownDataset.CLASSES))
                .setInputType(InputType.convolutional(KnownDataset.SIDE, KnownDataset.SIDE, 1))
                .build();
    }
}
