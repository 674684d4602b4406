package bnlab.cli;

import bnlab.data.DataSettings;
import bnlab.data.KnownDataset;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** Options choosing the data a command trains on. */
final class DataOptions {

    @Option(names = "--dataset", defaultValue = "mnist", paramLabel = "NAME",
            description = "mnist or fashion (default: ${DEFAULT-VALUE})")
    KnownDataset dataset;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "folder with the dataset's four IDX files, gzip or raw "
                    + "(default: data/mnist; /usr/share/datasets/fashion-mnist for fashion)")
    Path directory;

    @Option(names = "--limit", paramLabel = "N", converter = PositiveInt.class,
            description = "train on the first N training examples only")
    Integer limit;

    DataSettings settings() {
        return new DataSettings(dataset, directory, limit);
    }
}
