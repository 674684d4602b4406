package bnlab.train;

import java.io.Serializable;

/**
 * How long and on what batches a model trains.
 *
 * @param epochs       passes over the training set
 * @param batchSize    examples per training batch (per micro-batch when accumulating)
 * @param seed         seed of the batch order (the model's own seed sets its initial weights)
 * @param accumulation batches whose gradients are summed into one updater step; 1 trains as
 *                     DL4J's {@code fit} does, k > 1 steps as if on batches of k * batchSize
 *                     (see {@link GradientAccumulation} for what that does not change)
 */
public record TrainingSettings(int epochs, int batchSize, long seed, int accumulation) implements Serializable {

    public TrainingSettings {
        if (epochs <= 0 || batchSize <= 0 || accumulation <= 0) {
            throw new IllegalArgumentException("epochs, batch size and accumulation must be positive: " + epochs + ", "
                    + batchSize + ", " + accumulation);
        }
    }

    /** Without accumulation: one step per batch. */
    public TrainingSettings(int epochs, int batchSize, long seed) {
        this(epochs, batchSize, seed, 1);
    }

    /** The tutorial's settings: 10 epochs of batches of 32. */
    public static TrainingSettings tutorial(long seed) {
        return new TrainingSettings(10, 32, seed);
    }

    /** Accumulates the gradients of {@code batches} batches into each updater step. */
    public TrainingSettings withAccumulation(int batches) {
        return new TrainingSettings(epochs, batchSize, seed, batches);
    }
}
