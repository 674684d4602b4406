package bnlab.data;

import java.nio.file.Path;

/**
 * Which data a run trains on.
 *
 * @param dataset   the dataset
 * @param directory where its files are, or null for the dataset's default place
 * @param limit     train on the first {@code limit} examples only, or null for all
 */
public record DataSettings(KnownDataset dataset, Path directory, Integer limit) {

    /** All of MNIST from bnlab's data/mnist, found from the working folder (bnlab's own). */
    public static DataSettings mnist() {
        return new DataSettings(KnownDataset.MNIST, null, null);
    }

    /** All of MNIST from {@code directory}, which holds its four IDX files, gzipped or not (bnlab's data/mnist). */
    public static DataSettings mnist(Path directory) {
        return new DataSettings(KnownDataset.MNIST, directory, null);
    }

    /** These settings, training on the first {@code limit} examples only. */
    public DataSettings withLimit(int limit) {
        return new DataSettings(dataset, directory, limit);
    }

    /**
     * Reads the data, checking every file against its published SHA-256.
     *
     * @throws bnlab.BadInputException naming the file, when one is missing or damaged
     */
    public TrainTest load() {
        TrainTest data = dataset.load(directory == null ? dataset.defaultDirectory() : directory);
        return limit == null ? data : data.limitTrain(limit);
    }
}
