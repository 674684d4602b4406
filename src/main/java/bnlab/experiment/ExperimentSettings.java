package bnlab.experiment;

import bnlab.data.DataSettings;
import bnlab.data.KnownDataset;
import bnlab.train.TrainingSettings;

import java.util.List;
import java.util.stream.LongStream;

/**
 * How an experiment runs: on what data, how long, how many seeds.
 *
 * @param data      training data; the reduced {@code --quick} versions limit it
 * @param epochs    epochs of each run
 * @param batchSize training batch size
 * @param seeds     how many seeds each variant runs with (seeds 1, 2, ...)
 * @param quick     whether this is the reduced version
 */
public record ExperimentSettings(DataSettings data, int epochs, int batchSize, int seeds, boolean quick) {

    public ExperimentSettings {
        if (epochs <= 0 || batchSize <= 0 || seeds <= 0) {
            throw new IllegalArgumentException("epochs, batch size and seeds must be positive");
        }
    }

    /** The tutorial's training, 10 epochs of batches of 32 on full MNIST, with 3 seeds. */
    public static ExperimentSettings tutorial() {
        return new ExperimentSettings(DataSettings.mnist(), 10, 32, 3, false);
    }

    /** A reduced {@link #tutorial}: 3 epochs on the first 5000 training examples, 2 seeds. */
    public static ExperimentSettings tutorialQuick() {
        return new ExperimentSettings(new DataSettings(KnownDataset.MNIST, null, 5000), 3, 32, 2, true);
    }

    public List<Long> seedList() {
        return LongStream.rangeClosed(1, seeds).boxed().toList();
    }

    public TrainingSettings training(long seed) {
        return new TrainingSettings(epochs, batchSize, seed);
    }

    /** "mnist, first 5000 training examples, 3 epochs of batches of 32, 2 seeds (quick)" */
    public String describe() {
        return data.dataset() + (data.limit() == null ? "" : ", first " + data.limit() + " training examples")
                + ", " + epochs + (epochs == 1 ? " epoch" : " epochs") + " of batches of " + batchSize
                + ", " + seeds + (seeds == 1 ? " seed" : " seeds")
                + (quick ? " (quick)" : "");
    }

    public ExperimentSettings withEpochs(int epochs) {
        return new ExperimentSettings(data, epochs, batchSize, seeds, quick);
    }

    public ExperimentSettings withBatchSize(int batchSize) {
        return new ExperimentSettings(data, epochs, batchSize, seeds, quick);
    }

    public ExperimentSettings withSeeds(int seeds) {
        return new ExperimentSettings(data, epochs, batchSize, seeds, quick);
    }

    public ExperimentSettings withData(DataSettings data) {
        return new ExperimentSettings(data, epochs, batchSize, seeds, quick);
    }
}
