package bnlab.infer;

import bnlab.BadInputException;
import bnlab.TestData;
import bnlab.data.BatchIterator;
import bnlab.data.InputShape;
import bnlab.data.TrainTest;
import bnlab.model.BnParameters;
import bnlab.model.BuiltInModel;
import bnlab.cpu.CpuTuning;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PreciseBnTest {

    private static final int EXAMPLES = 500;

    /**
     * After precise BN, each BN's statistics are the mean and variance of the input it gets in
     * inference mode from the final network, computed here in one batch of all the examples:
     * per channel for the convolutional BNs, per unit for the dense one.
     */
    @Test
    void statisticsAreThoseOfEachLayersInputInInferenceMode() {
        assertStatisticsMatchInputs(network(BuiltInModel.CNN_BN.configuration(3)), 200);
    }

    @Test
    void varianceStoredDirectlyIsRecomputedToo() {
        MultiLayerConfiguration configuration = new NeuralNetConfiguration.Builder().seed(3).list()
                .layer(new DenseLayer.Builder().nOut(20).activation(Activation.IDENTITY).build())
                .layer(new BatchNormalization.Builder().useLogStd(false).build())
                .layer(new ActivationLayer(Activation.RELU))
                .layer(new DenseLayer.Builder().nOut(10).activation(Activation.IDENTITY).build())
                .layer(new BatchNormalization.Builder().useLogStd(false).build())
                .layer(new OutputLayer.Builder(LossFunction.MCXENT).nOut(10).activation(Activation.SOFTMAX).build())
                .setInputType(InputType.feedForward(784))
                .build();
        assertStatisticsMatchInputs(network(configuration), EXAMPLES);
    }

    @Test
    void theBatchSizeChangesNothing() {
        MultiLayerNetwork inTens = network(BuiltInModel.MLP_BN.configuration(3));
        MultiLayerNetwork inFiveHundreds = inTens.clone();
        CpuTuning.apply(inFiveHundreds);
        PreciseBn.recompute(inTens, trainingBatches(inTens, 10), EXAMPLES / 10);
        PreciseBn.recompute(inFiveHundreds, trainingBatches(inFiveHundreds, 500), EXAMPLES / 500);
        double difference = inTens.params().sub(inFiveHundreds.params()).amaxNumber().doubleValue();
        assertTrue(difference < 1e-5, "max |difference| " + difference);
    }

    /** 50 iterations leave 0.99^50 = 60% of each running statistic at its initial value. */
    @Test
    void afterFiftyIterationsPreciseStatisticsValidateBetter() {
        MultiLayerConfiguration configuration = BuiltInModel.MLP_BN.configuration(5);
        MultiLayerNetwork network = network(configuration);
        TrainTest data = TestData.mnist().limitTrain(50 * 32);
        network.fit(BatchIterator.shuffled(data.train(), 32, InputShape.FLAT, 5));

        PreciseBnReport report = PreciseBnReport.run(network, TestData.mnist(), EXAMPLES / 100, 100, 1);

        assertEquals(EXAMPLES, report.recomputed().examples());
        assertEquals(List.of(1, 4, 7), report.recomputed().layers().stream().map(PreciseBn.LayerChange::layer).toList());
        assertTrue(report.after().accuracy() > report.before().accuracy(), report.toString());
        assertTrue(report.after().loss() < report.before().loss(), report.toString());
    }

    @Test
    void aNetworkWithoutBnIsBadInput() {
        MultiLayerNetwork network = network(BuiltInModel.MLP.configuration(1));
        BadInputException e = assertThrows(BadInputException.class,
                () -> PreciseBn.recompute(network, trainingBatches(network, 100), 1));
        assertTrue(e.getMessage().contains("no BatchNormalization layer"), e.getMessage());
    }

    private static void assertStatisticsMatchInputs(MultiLayerNetwork network, int examples) {
        PreciseBn.recompute(network, trainingBatches(network, 100), examples / 100);
        INDArray images = trainingBatches(network, examples).next().getFeatures();
        for (Layer bn : PreciseBn.layersOf(network)) {
            INDArray input = network.feedForwardToLayer(bn.getIndex() - 1, images, false).get(bn.getIndex())
                    .castTo(DataType.DOUBLE);
            int[] overExamples = input.rank() == 4 ? new int[]{0, 2, 3} : new int[]{0};
            assertClose(input.mean(overExamples), BnParameters.runningMean(bn), input.std(false, overExamples));
            INDArray variance = input.var(false, overExamples);
            assertClose(variance, BnParameters.runningVariance(bn), variance);
        }
    }

    /** Equal within float precision, relative to {@code scale} per feature. */
    private static void assertClose(INDArray expected, INDArray actual, INDArray scale) {
        double difference = Transforms.abs(expected.sub(actual.castTo(DataType.DOUBLE)), false)
                .divi(scale.add(1e-6)).maxNumber().doubleValue();
        assertTrue(difference < 1e-4, "max relative difference " + difference);
    }

    private static MultiLayerNetwork network(MultiLayerConfiguration configuration) {
        MultiLayerNetwork network = new MultiLayerNetwork(configuration);
        network.init();
        CpuTuning.apply(network);
        return network;
    }

    /** The same examples in the same order for every batch size. */
    private static BatchIterator trainingBatches(MultiLayerNetwork network, int batchSize) {
        return BatchIterator.shuffled(TestData.mnist().train(), batchSize,
                InputShape.of(network.getLayerWiseConfigurations()), 11);
    }
}
