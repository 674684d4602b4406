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

    public static DataSettings mnist() {
        return new DataSettings(KnownDataset.MNIST, null, null);
    }

    public TrainTest load() {
        TrainTest data = dataset.load(directory == null ? dataset.defaultDirectory() : directory);
        return limit == null ? data : data.limitTrain(limit);
    }
}
