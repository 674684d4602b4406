package bnlab.infer;

import bnlab.data.BatchIterator;
import bnlab.data.InputShape;
import bnlab.data.TrainTest;
import bnlab.cpu.CpuTuning;
import bnlab.train.Validation;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * Precise BN applied to a network, with its validation loss and accuracy (on the test set,
 * in inference mode) before and after.
 *
 * @param batchSize examples per batch the statistics were computed from
 * @param seed      seed of the order in which training examples were drawn
 * @param recomputed what precise BN recomputed, and how much the statistics moved
 */
public record PreciseBnReport(int batchSize, long seed, Metrics before, Metrics after, PreciseBn.Result recomputed) {

    /** Validation figures of one version of the network. */
    public record Metrics(double loss, double accuracy) {
        static Metrics of(MultiLayerNetwork network, TrainTest data) {
            Validation validation = Validation.of(network, BatchIterator.inOrder(data.test(), VALIDATION_BATCH_SIZE,
                    InputShape.of(network.getLayerWiseConfigurations())));
            return new Metrics(validation.loss(), validation.accuracy());
        }
    }

    /** Any batch size gives the same result in inference mode; this one is fast. */
    private static final int VALIDATION_BATCH_SIZE = 1000;

    /**
     * Recomputes {@code network}'s BN statistics in place over {@code batches} batches of
     * {@code batchSize} training examples drawn in a seeded random order.
     */
    public static PreciseBnReport run(MultiLayerNetwork network, TrainTest data, int batches, int batchSize, long seed) {
        CpuTuning.apply(network);
        Metrics before = Metrics.of(network, data);
        BatchIterator training = BatchIterator.shuffled(data.train(), batchSize,
                InputShape.of(network.getLayerWiseConfigurations()), seed);
        PreciseBn.Result recomputed = PreciseBn.recompute(network, training, batches);
        return new PreciseBnReport(batchSize, seed, before, Metrics.of(network, data), recomputed);
    }
}
