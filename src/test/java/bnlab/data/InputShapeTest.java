package bnlab.data;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayerWithBackprop;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class InputShapeTest {

    @Test
    void aFrozenFirstLayerTakesWhatItWraps() {
        assertEquals(InputShape.IMAGE, InputShape.of(network(new FrozenLayer(convolution()), InputType.convolutional(28, 28, 1))));
        assertEquals(InputShape.IMAGE, InputShape.of(network(new FrozenLayerWithBackprop(convolution()),
                InputType.convolutional(28, 28, 1))));
        assertEquals(InputShape.FLAT, InputShape.of(network(new FrozenLayer(new DenseLayer.Builder().nOut(4).build()),
                InputType.feedForward(784))));
    }

    private static ConvolutionLayer convolution() {
        return new ConvolutionLayer.Builder(3, 3).nOut(2).build();
    }

    private static MultiLayerConfiguration network(Layer first, InputType input) {
        return new NeuralNetConfiguration.Builder().list().layer(first).layer(new OutputLayer.Builder().nOut(2).build())
                .setInputType(input).build();
    }
}
