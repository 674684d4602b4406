package bnlab.model;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;

import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

class BuiltInModelTest {

    @Test
    void mlpIsThreeReluLayersAndASoftmax() {
        List<Layer> layers = layers(BuiltInModel.MLP);
        assertEquals(List.of(DenseLayer.class, DenseLayer.class, DenseLayer.class, OutputLayer.class), types(layers));
        assertEquals(List.of(128L, 64L, 32L, 10L), layers.stream().map(l -> ((FeedForwardLayer) l).getNOut()).toList());
        layers.subList(0, 3).forEach(l -> assertInstanceOf(ActivationReLU.class, ((BaseLayer) l).getActivationFn()));
        assertInstanceOf(ActivationSoftmax.class, ((BaseLayer) layers.get(3)).getActivationFn());
    }

    @Test
    void mlpBnNormalizesBeforeEachHiddenActivationAndNotTheOutput() {
        List<Layer> layers = layers(BuiltInModel.MLP_BN);
        assertEquals(List.of(
                DenseLayer.class, BatchNormalization.class, ActivationLayer.class,
                DenseLayer.class, BatchNormalization.class, ActivationLayer.class,
                DenseLayer.class, BatchNormalization.class, ActivationLayer.class,
                OutputLayer.class), types(layers));
        for (int i = 0; i < 9; i += 3) {
            assertInstanceOf(ActivationIdentity.class, ((BaseLayer) layers.get(i)).getActivationFn(), "Dense " + i);
            assertInstanceOf(ActivationReLU.class, ((ActivationLayer) layers.get(i + 2)).getActivationFn());
        }
    }

    @Test
    void batchNormalizationUsesKerasDefaults() {
        BatchNormalization bn = (BatchNormalization) layers(BuiltInModel.MLP_BN).get(1);
        assertEquals(0.99, bn.getDecay());
        assertEquals(1e-3, bn.getEps());
    }

    @Test
    void cnnBnHasTwoConvolutionBlocksAndANormalizedDenseLayer() {
        assertEquals(List.of(
                ConvolutionLayer.class, BatchNormalization.class, ActivationLayer.class, SubsamplingLayer.class,
                ConvolutionLayer.class, BatchNormalization.class, ActivationLayer.class, SubsamplingLayer.class,
                DenseLayer.class, BatchNormalization.class, ActivationLayer.class,
                OutputLayer.class), types(layers(BuiltInModel.CNN_BN)));
        assertEquals(List.of(
                ConvolutionLayer.class, SubsamplingLayer.class, ConvolutionLayer.class, SubsamplingLayer.class,
                DenseLayer.class, OutputLayer.class), types(layers(BuiltInModel.CNN)));
    }

    /** The counts Keras's model.summary() gives for the same networks (BN's running statistics included). */
    @Test
    void parameterCounts() {
        assertEquals(111_146, parameters(BuiltInModel.MLP));
        assertEquals(111_146 + 4 * (128 + 64 + 32), parameters(BuiltInModel.MLP_BN));
        assertEquals(320 + 18_496 + 102_464 + 650, parameters(BuiltInModel.CNN));
        assertEquals(121_930 + 4 * (32 + 64 + 64), parameters(BuiltInModel.CNN_BN));
    }

    @Test
    void theSeedSetsTheInitialWeights() {
        assertEquals(network(BuiltInModel.MLP_BN, 5).params(), network(BuiltInModel.MLP_BN, 5).params());
        assertNotEquals(network(BuiltInModel.MLP_BN, 5).params(), network(BuiltInModel.MLP_BN, 6).params());
    }

    private static long parameters(BuiltInModel model) {
        return network(model, 1).numParams();
    }

    private static MultiLayerNetwork network(BuiltInModel model, long seed) {
        MultiLayerNetwork network = new MultiLayerNetwork(model.configuration(seed));
        network.init();
        return network;
    }

    private static List<Layer> layers(BuiltInModel model) {
        MultiLayerConfiguration conf = model.configuration(1);
        return IntStream.range(0, conf.getConfs().size()).mapToObj(i -> conf.getConf(i).getLayer()).toList();
    }

    private static List<Class<?>> types(List<Layer> layers) {
        return layers.stream().<Class<?>>map(Object::getClass).toList();
    }
}
