package bnlab.train;

import bnlab.TestData;
import bnlab.cpu.CpuTuning;
import bnlab.data.BatchIterator;
import bnlab.data.InputShape;
import bnlab.model.Mlp;
import bnlab.model.Normalization;
import bnlab.train.ActivationDistributionListener.Site;
import org.deeplearning4j.nn.api.Layer.TrainingMode;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Sgd;

import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ActivationDistributionListenerTest {

    /** 101 examples: the 15th, 50th and 85th percentiles fall exactly on ranks 15, 50 and 85. */
    private static final INDArray PROBE = TestData.mnist().test().getFeatures().getRows(IntStream.range(0, 101).toArray());
    private static final double[] PERCENTILES = {15, 50, 85};
    /** In the tutorial's MLP with BN: Dense 0, BN 1, ReLU 2, Dense 3, ... */
    private static final int FIRST_BN = 1;
    private static final int FIRST_RELU = 2;
    private static final int UNIT = 3;

    private static MultiLayerNetwork mlpBn(long seed) {
        MultiLayerNetwork network = new MultiLayerNetwork(Mlp.tutorial(seed).withNormalization(Normalization.BATCH)
                .withUpdater(new Sgd(0.1)).configuration());
        network.init();
        CpuTuning.apply(network);
        return network;
    }

    /** 20 updates: 2 epochs of 10 batches of 100. */
    private static void train(MultiLayerNetwork network, ActivationDistributionListener... listeners) {
        network.setListeners(listeners);
        DataSet data = TestData.mnist().limitTrain(1000).train();
        network.fit(BatchIterator.shuffled(data, 100, InputShape.FLAT, 1), 2);
    }

    @Test
    void percentilesInterpolateLinearlyBetweenTheNearestRanks() {
        assertArrayEquals(new double[]{1, 1.75, 2.5, 4}, ActivationDistributionListener.percentiles(
                new double[]{4, 2, 1, 3}, 0, 25, 50, 100), 1e-12);
        double[] shuffled = IntStream.rangeClosed(0, 100).map(i -> (i * 37) % 101).asDoubleStream().toArray();
        assertArrayEquals(new double[]{15, 50, 85}, ActivationDistributionListener.percentiles(shuffled, PERCENTILES),
                1e-12);
    }

    @Test
    void recordsBeforeTheFirstUpdateAndAfterEveryFrequencyUpdates() {
        ActivationDistributionListener listener = new ActivationDistributionListener(PROBE,
                List.of(Site.unit(FIRST_BN, UNIT)), PERCENTILES, 7, TrainingMode.TEST);
        train(mlpBn(1), listener);

        assertArrayEquals(new int[]{0, 7, 14}, listener.iterations());
        for (double p : PERCENTILES) {
            assertEquals(3, listener.percentile(Site.unit(FIRST_BN, UNIT), p).length);
        }
    }

    /** In training mode BN normalizes the probe with the probe's own mean and (biased) variance. */
    @Test
    void inTrainingModeBatchNormalizationUsesTheProbesOwnStatistics() {
        MultiLayerNetwork network = mlpBn(2);
        Site site = Site.unit(FIRST_BN, UNIT);
        ActivationDistributionListener listener = new ActivationDistributionListener(PROBE, List.of(site),
                PERCENTILES, 5, TrainingMode.TRAIN);
        train(network, listener);

        double[] dense = network.feedForward(PROBE, false).get(FIRST_BN).getColumn(UNIT).toDoubleVector();
        double mean = Arrays.stream(dense).average().orElseThrow();
        double variance = Arrays.stream(dense).map(x -> (x - mean) * (x - mean)).average().orElseThrow();
        double eps = ((BatchNormalization) network.getLayerWiseConfigurations().getConf(FIRST_BN).getLayer()).getEps();
        double gamma = network.getParam(FIRST_BN + "_gamma").getDouble(UNIT);
        double beta = network.getParam(FIRST_BN + "_beta").getDouble(UNIT);
        double[] normalized = Arrays.stream(dense).map(x -> gamma * (x - mean) / Math.sqrt(variance + eps) + beta)
                .sorted().toArray();

        assertTrue(Math.abs(gamma - 1) > 1e-4 || Math.abs(beta) > 1e-4, "BN's gamma and beta have trained");
        assertRecordedLast(new double[]{normalized[15], normalized[50], normalized[85]}, listener, site);
    }

    /** In inference mode the record is what prediction sees; a whole layer pools all its units. */
    @Test
    void inInferenceModeRecordsWhatPredictionSees() {
        MultiLayerNetwork network = mlpBn(3);
        Site unit = Site.unit(FIRST_BN, UNIT);
        Site layer = Site.wholeLayer(FIRST_RELU);
        ActivationDistributionListener listener = new ActivationDistributionListener(PROBE, List.of(unit, layer),
                PERCENTILES, 4, TrainingMode.TEST);
        train(network, listener);

        List<INDArray> outputs = network.feedForward(PROBE, false);
        double[] normalized = outputs.get(FIRST_BN + 1).getColumn(UNIT).toDoubleVector();
        Arrays.sort(normalized);
        assertRecordedLast(new double[]{normalized[15], normalized[50], normalized[85]}, listener, unit);

        double[] relu = outputs.get(FIRST_RELU + 1).dup().data().asDouble();
        for (double p : PERCENTILES) {
            double[] recorded = listener.percentile(layer, p);
            double q = recorded[recorded.length - 1];
            long atMost = Arrays.stream(relu).filter(x -> x <= q + 1e-6).count();
            long atLeast = Arrays.stream(relu).filter(x -> x >= q - 1e-6).count();
            // Interpolated between ranks floor(pos) and ceil(pos), pos = p / 100 * (n - 1), counting from 0.
            double position = p / 100 * (relu.length - 1);
            assertTrue(atMost > position && atLeast > relu.length - 1 - position,
                    "percentile " + p + " = " + q + ": " + atMost + " values at most, " + atLeast + " at least, of "
                            + relu.length);
        }
    }

    /** BN's running averages change in the update, never in a forward pass: recording does not disturb training. */
    @Test
    void theProbePassLeavesTrainingAsItWas() {
        MultiLayerNetwork observed = mlpBn(4);
        MultiLayerNetwork unobserved = mlpBn(4);
        train(observed, new ActivationDistributionListener(PROBE, List.of(Site.wholeLayer(FIRST_BN)), PERCENTILES, 1,
                TrainingMode.TRAIN));
        train(unobserved);

        assertEquals(0, observed.params().sub(unobserved.params()).amaxNumber().doubleValue(), 1e-6);
    }

    private static void assertRecordedLast(double[] expected, ActivationDistributionListener listener, Site site) {
        for (int i = 0; i < PERCENTILES.length; i++) {
            double[] recorded = listener.percentile(site, PERCENTILES[i]);
            assertEquals(expected[i], recorded[recorded.length - 1], 1e-4, "percentile " + PERCENTILES[i]);
        }
    }
}
