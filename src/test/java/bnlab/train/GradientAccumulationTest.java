package bnlab.train;

import bnlab.cpu.CpuTuning;
import bnlab.TestData;
import bnlab.data.BatchIterator;
import bnlab.data.InputShape;
import bnlab.data.TrainTest;
import bnlab.model.BnParameters;
import bnlab.model.Mlp;
import bnlab.model.Normalization;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.ops.transforms.Transforms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GradientAccumulationTest {

    /** Far below what one step of Adam at 1e-3 moves a weight, far above double precision's rounding. */
    private static final double SAME = 1e-10;

    /**
     * Three steps, each on 4 micro-batches of 8, against DL4J's own fit on 3 batches of 32:
     * the same parameters, the same Adam state. Normalizations that treat each example on its
     * own (layer and group normalization) keep the equivalence.
     */
    @ParameterizedTest
    @EnumSource(value = Normalization.class, names = {"NONE", "LAYER", "GROUP"})
    void microBatchesAccumulateIntoTheStepOfTheirConcatenation(Normalization normalization) {
        DataSet examples = mnist(96);
        MultiLayerConfiguration configuration = doublePrecision(Mlp.tutorial(3).withNormalization(normalization));
        MultiLayerNetwork accumulated = network(configuration);
        MultiLayerNetwork concatenated = network(configuration);

        new GradientAccumulation(accumulated, 4).fit(BatchIterator.inOrder(examples, 8, InputShape.FLAT), 1);
        concatenated.fit(BatchIterator.inOrder(examples, 32, InputShape.FLAT), 1);

        assertEquals(3, accumulated.getIterationCount());
        assertEquals(1, accumulated.getEpochCount());
        assertTrue(largestDifference(accumulated.params(), concatenated.params()) < SAME,
                "parameters differ by " + largestDifference(accumulated.params(), concatenated.params()));
        assertTrue(largestDifference(accumulated.getUpdater().getStateViewArray(),
                concatenated.getUpdater().getStateViewArray()) < SAME, "Adam's moments differ");
        MultiLayerNetwork firstMicroBatchOnly = network(configuration);
        firstMicroBatchOnly.fit(BatchIterator.inOrder(new DataSet(examples.getFeatures().getRows(0, 1, 2, 3, 4, 5, 6, 7),
                examples.getLabels().getRows(0, 1, 2, 3, 4, 5, 6, 7)), 8, InputShape.FLAT), 1);
        assertTrue(largestDifference(firstMicroBatchOnly.params(), network(configuration).params()) > 1000 * SAME,
                "a step moves the parameters by far more than the bound");
    }

    /** BN still normalizes each micro-batch with its own statistics: the step is not that of the concatenated batch. */
    @Test
    void batchNormalizationStillSeesMicroBatches() {
        DataSet examples = mnist(96);
        MultiLayerConfiguration configuration = doublePrecision(Mlp.tutorial(3).withNormalization(Normalization.BATCH));
        MultiLayerNetwork accumulated = network(configuration);
        MultiLayerNetwork concatenated = network(configuration);

        new GradientAccumulation(accumulated, 4).fit(BatchIterator.inOrder(examples, 8, InputShape.FLAT), 1);
        concatenated.fit(BatchIterator.inOrder(examples, 32, InputShape.FLAT), 1);

        double difference = largestDifference(accumulated.params(), concatenated.params());
        assertTrue(difference > 1000 * SAME, "BN parameters differ by only " + difference);
    }

    /**
     * BN's running statistics are updated after every micro-batch, as plain training on the
     * same batches would: with a learning rate of 0 the two runs see identical activations.
     */
    @Test
    void runningStatisticsFollowEveryMicroBatch() {
        DataSet examples = mnist(64);
        MultiLayerConfiguration configuration = doublePrecision(Mlp.tutorial(3)
                .withNormalization(Normalization.BATCH).withUpdater(new Sgd(0.0)));
        MultiLayerNetwork accumulated = network(configuration);
        MultiLayerNetwork plain = network(configuration);

        new GradientAccumulation(accumulated, 4).fit(BatchIterator.inOrder(examples, 8, InputShape.FLAT), 1);
        plain.fit(BatchIterator.inOrder(examples, 8, InputShape.FLAT), 1);

        assertEquals(2, accumulated.getIterationCount());
        assertEquals(8, plain.getIterationCount());
        INDArray mean = BnParameters.runningMean(accumulated.getLayer(1));
        assertTrue(largestDifference(mean, BnParameters.runningMean(plain.getLayer(1))) < SAME);
        assertTrue(largestDifference(BnParameters.runningVariance(accumulated.getLayer(1)),
                BnParameters.runningVariance(plain.getLayer(1))) < SAME);
        assertTrue(mean.amaxNumber().doubleValue() > 0.01, "eight updates moved the running mean from 0");
    }

    /**
     * The trainer's option: an epoch of micro-batches of 8 accumulated 4 at a time is an epoch
     * of batches of 32 in the same shuffled order, step for step and score for score.
     */
    @Test
    void theTrainerAccumulatesWhenAsked() {
        TrainTest data = new TrainTest(mnist(320), mnist(100));
        MultiLayerConfiguration configuration = doublePrecision(Mlp.tutorial(5));
        MultiLayerNetwork accumulated = network(configuration);
        MultiLayerNetwork concatenated = network(configuration);

        History micro = new Trainer(new TrainingSettings(1, 8, 7).withAccumulation(4), Console.none())
                .fit("mlp", accumulated, data);
        History whole = new Trainer(new TrainingSettings(1, 32, 7), Console.none()).fit("mlp", concatenated, data);

        assertEquals(Status.DONE, micro.status());
        assertEquals(10, micro.iterationScores().size(), "one score per step of 32 examples");
        for (int i = 0; i < 10; i++) {
            assertEquals(whole.iterationScores().get(i), micro.iterationScores().get(i), SAME, "score of step " + i);
        }
        assertEquals(whole.last().trainAccuracy(), micro.last().trainAccuracy(), 1e-12);
        assertEquals(whole.last().valLoss(), micro.last().valLoss(), SAME);
        assertTrue(largestDifference(accumulated.params(), concatenated.params()) < SAME);
    }

    private static double largestDifference(INDArray a, INDArray b) {
        return Transforms.abs(a.sub(b), false).maxNumber().doubleValue();
    }

    private static DataSet mnist(int examples) {
        DataSet first = TestData.mnist().limitTrain(examples).train();
        return new DataSet(first.getFeatures().castTo(DataType.DOUBLE), first.getLabels().castTo(DataType.DOUBLE));
    }

    private static MultiLayerConfiguration doublePrecision(Mlp mlp) {
        MultiLayerConfiguration configuration = mlp.configuration();
        configuration.setDataType(DataType.DOUBLE);
        return configuration;
    }

    private static MultiLayerNetwork network(MultiLayerConfiguration configuration) {
        MultiLayerNetwork network = new MultiLayerNetwork(configuration.clone());
        network.init();
        CpuTuning.apply(network);
        return network;
    }
}
