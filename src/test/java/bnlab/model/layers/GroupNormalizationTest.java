package bnlab.model.layers;

import bnlab.TestData;
import bnlab.data.InputShape;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GroupNormalizationTest {

    private static final DataType DEFAULT_TYPE = Nd4j.defaultFloatingPointType();

    @AfterEach
    void restoreDefaultDataType() {
        Nd4j.setDefaultDataTypes(DEFAULT_TYPE, DEFAULT_TYPE);
    }

    /** The layer's output against the definition, computed value by value in plain Java. */
    @Test
    void normalizesEachExampleWithinItsGroupsThenScalesAndShiftsEachChannel() {
        int examples = 3, channels = 6, groups = 3, height = 4, width = 5;
        MultiLayerNetwork network = network(new NeuralNetConfiguration.Builder().seed(1).dataType(DataType.DOUBLE).list()
                .layer(new GroupNormalization.Builder().groups(groups).epsilon(1e-3).build())
                .layer(new OutputLayer.Builder(LossFunction.MSE).nOut(2).activation(Activation.IDENTITY).build())
                .setInputType(InputType.convolutional(height, width, channels))
                .build());
        INDArray gamma = Nd4j.rand(DataType.DOUBLE, channels).addi(0.5);
        INDArray beta = Nd4j.randn(DataType.DOUBLE, channels);
        network.getLayer(0).setParam(GroupNormalizationParamInitializer.GAMMA, gamma.reshape(1, channels));
        network.getLayer(0).setParam(GroupNormalizationParamInitializer.BETA, beta.reshape(1, channels));
        INDArray x = Nd4j.randn(DataType.DOUBLE, examples, channels, height, width).muli(3).addi(1);

        INDArray y = network.feedForwardToLayer(0, x, false).get(1);

        int perGroup = channels / groups;
        for (int n = 0; n < examples; n++) {
            for (int g = 0; g < groups; g++) {
                double sum = 0, squares = 0;
                int count = perGroup * height * width;
                for (int c = g * perGroup; c < (g + 1) * perGroup; c++) {
                    for (int h = 0; h < height; h++) {
                        for (int w = 0; w < width; w++) {
                            sum += x.getDouble(n, c, h, w);
                        }
                    }
                }
                double mean = sum / count;
                for (int c = g * perGroup; c < (g + 1) * perGroup; c++) {
                    for (int h = 0; h < height; h++) {
                        for (int w = 0; w < width; w++) {
                            squares += Math.pow(x.getDouble(n, c, h, w) - mean, 2);
                        }
                    }
                }
                double std = Math.sqrt(squares / count + 1e-3);
                for (int c = g * perGroup; c < (g + 1) * perGroup; c++) {
                    for (int h = 0; h < height; h++) {
                        for (int w = 0; w < width; w++) {
                            double expected = gamma.getDouble(c) * (x.getDouble(n, c, h, w) - mean) / std + beta.getDouble(c);
                            assertEquals(expected, y.getDouble(n, c, h, w), 1e-12, "example " + n + " channel " + c);
                        }
                    }
                }
            }
        }
    }

    /** The point of group normalization: no statistics are shared between examples, in training or not. */
    @Test
    void anExampleGetsTheSameOutputAloneAsInABatchInTrainingAndInference() {
        MultiLayerNetwork network = network(convolutional(2, new Adam(1e-3), DataType.FLOAT));
        INDArray images = mnistImages(16);
        INDArray batchOutput = network.output(images, true);
        for (int i = 0; i < 16; i += 5) {
            INDArray alone = network.output(images.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(i, i + 1)), false);
            assertTrue(alone.equalsWithEps(batchOutput.getRow(i, true), 1e-6), "example " + i);
        }
    }

    /**
     * DL4J's own gradient check, in double precision, on MNIST images: one group (layer norm),
     * some, one per channel. Every gamma and beta is checked, and up to 15 entries of each
     * other parameter, through which the gradient with respect to the layer's input flows.
     */
    @ParameterizedTest
    @ValueSource(ints = {1, 3, 6})
    void passesDl4jsGradientCheck(int groups) {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        MultiLayerNetwork network = network(convolutional(groups, new NoOp(), DataType.DOUBLE));
        network.getLayer(1).setParam(GroupNormalizationParamInitializer.GAMMA, Nd4j.rand(DataType.DOUBLE, 1, 6).addi(0.5));
        network.getLayer(1).setParam(GroupNormalizationParamInitializer.BETA, Nd4j.randn(DataType.DOUBLE, 1, 6));
        DataSet batch = TestData.mnist().limitTrain(4).train();
        INDArray images = InputShape.IMAGE.arrange(batch.getFeatures()).castTo(DataType.DOUBLE);

        boolean passed = GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig().net(network)
                .input(images).labels(batch.getLabels().castTo(DataType.DOUBLE))
                .epsilon(1e-6).maxRelError(1e-5).minAbsoluteError(1e-9).subset(true).maxPerParam(15));

        assertTrue(passed, "gradient check with " + groups + " groups; see the log for the failing parameters");
    }

    @Test
    void survivesModelSerializerWithItsConfigurationAndLearnedParameters() throws IOException {
        MultiLayerNetwork network = network(convolutional(3, new Adam(1e-2), DataType.FLOAT));
        DataSet batch = TestData.mnist().limitTrain(32).train();
        batch.setFeatures(InputShape.IMAGE.arrange(batch.getFeatures()));
        for (int i = 0; i < 5; i++) {
            network.fit(batch);
        }
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        ModelSerializer.writeModel(network, zip, true);

        MultiLayerNetwork restored = ModelSerializer.restoreMultiLayerNetwork(new ByteArrayInputStream(zip.toByteArray()), true);

        assertEquals(network.getLayerWiseConfigurations(), restored.getLayerWiseConfigurations());
        GroupNormalization layer = (GroupNormalization) restored.getLayerWiseConfigurations().getConf(1).getLayer();
        assertEquals(3, layer.getGroups());
        assertEquals(GroupNormalization.DEFAULT_EPSILON, layer.getEpsilon());
        assertTrue(network.getLayer(1).params().neq(Nd4j.ones(DataType.FLOAT, 12).putScalar(6, 0)).any(),
                "training moved gamma and beta away from their initial values");
        assertEquals(network.params(), restored.params());
        assertEquals(network.output(batch.getFeatures()), restored.output(batch.getFeatures()));
        assertEquals(network.getUpdater().getStateViewArray(), restored.getUpdater().getStateViewArray());
    }

    @Test
    void refusesChannelsThatDoNotSplitIntoItsGroups() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new NeuralNetConfiguration.Builder().list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(6).build())
                .layer(new GroupNormalization.Builder().groups(4).build())
                .layer(new OutputLayer.Builder(LossFunction.MCXENT).nOut(10).activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(28, 28, 1))
                .build());
        assertTrue(e.getMessage().contains("6 channels do not split into 4 groups"), e.getMessage());
    }

    @Test
    void refusesSequences() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new NeuralNetConfiguration.Builder().list()
                .layer(new LSTM.Builder().nOut(8).build())
                .layer(new GroupNormalization.Builder().groups(2).build())
                .layer(new OutputLayer.Builder(LossFunction.MCXENT).nOut(10).activation(Activation.SOFTMAX).build())
                .setInputType(InputType.recurrent(28, 28))
                .build());
        assertTrue(e.getMessage().contains("takes images in NCHW format or feature vectors"), e.getMessage());
    }

    /**
     * Conv 4x4 stride 4 (6 channels of 7x7) -> GroupNormalization -> tanh -> Dense 8 ->
     * two-group GroupNormalization of the features -> tanh -> softmax. Smooth activations, as
     * gradient checks need.
     */
    private static MultiLayerConfiguration convolutional(int groups, IUpdater updater, DataType type) {
        return new NeuralNetConfiguration.Builder().seed(7).updater(updater).dataType(type).list()
                .layer(new ConvolutionLayer.Builder(4, 4).stride(4, 4).nOut(6).activation(Activation.IDENTITY).build())
                .layer(new GroupNormalization.Builder().groups(groups).build())
                .layer(new ActivationLayer(Activation.TANH))
                .layer(new DenseLayer.Builder().nOut(8).activation(Activation.IDENTITY).build())
                .layer(new GroupNormalization.Builder().groups(2).build())
                .layer(new ActivationLayer(Activation.TANH))
                .layer(new OutputLayer.Builder(LossFunction.MCXENT).nOut(10).activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(28, 28, 1))
                .build();
    }

    private static INDArray mnistImages(int count) {
        return InputShape.IMAGE.arrange(TestData.mnist().limitTrain(count).train().getFeatures());
    }

    private static MultiLayerNetwork network(MultiLayerConfiguration configuration) {
        MultiLayerNetwork network = new MultiLayerNetwork(configuration);
        network.init();
        return network;
    }
}
