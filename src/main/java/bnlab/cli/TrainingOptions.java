package bnlab.cli;

import bnlab.train.TrainingSettings;
import picocli.CommandLine.Option;

/** Options of how long and on what batches models train. */
final class TrainingOptions {

    @Option(names = "--epochs", defaultValue = "10", paramLabel = "N", converter = PositiveInt.class,
            description = "passes over the training set (default: ${DEFAULT-VALUE})")
    int epochs;

    @Option(names = "--batch-size", defaultValue = "32", paramLabel = "N", converter = PositiveInt.class,
            description = "examples per training batch (default: ${DEFAULT-VALUE})")
    int batchSize;

    @Option(names = "--seed", defaultValue = "42", paramLabel = "N",
            description = "seed of the initial weights and the batch order (default: ${DEFAULT-VALUE})")
    long seed;

    TrainingSettings settings() {
        return new TrainingSettings(epochs, batchSize, seed);
    }
}
