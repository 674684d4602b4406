package bnlab.train;

/**
 * How long and on what batches a model trains.
 *
 * @param epochs    passes over the training set
 * @param batchSize examples per training batch
 * @param seed      seed of the batch order (the model's own seed sets its initial weights)
 */
public record TrainingSettings(int epochs, int batchSize, long seed) {

    public TrainingSettings {
        if (epochs <= 0 || batchSize <= 0) {
            throw new IllegalArgumentException("epochs and batch size must be positive: " + epochs + ", " + batchSize);
        }
    }

    /** The tutorial's settings: 10 epochs of batches of 32. */
    public static TrainingSettings tutorial(long seed) {
        return new TrainingSettings(10, 32, seed);
    }
}
