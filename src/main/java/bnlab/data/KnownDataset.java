package bnlab.data;

import bnlab.BadInputException;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The datasets bnlab trains on: 28x28 grey images in ten classes, stored as four IDX files.
 * Each knows where its files live by default, how to get them, and the published SHA-256 of
 * each uncompressed file.
 */
public enum KnownDataset {

    MNIST(Path.of("data", "mnist"), "bnlab ships them in its data/mnist folder; run from bnlab's folder, or give "
            + "that folder (--data-dir on the command line, DataSettings.mnist(folder) in code)",
            Map.of("train-images-idx3-ubyte", "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
                    "train-labels-idx1-ubyte", "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
                    "t10k-images-idx3-ubyte", "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
                    "t10k-labels-idx1-ubyte", "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2")),

    FASHION(Path.of("/usr/share/datasets/fashion-mnist"), "install Debian's package dataset-fashion-mnist, or give "
            + "the folder that has them (--data-dir on the command line, DataSettings' directory in code)",
            Map.of("train-images-idx3-ubyte", "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888",
                    "train-labels-idx1-ubyte", "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9",
                    "t10k-images-idx3-ubyte", "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b",
                    "t10k-labels-idx1-ubyte", "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34"));

    /** Images are SIDE x SIDE pixels. */
    public static final int SIDE = 28;
    /** Pixels of an image, the length of a row of features. */
    public static final int PIXELS = SIDE * SIDE;
    /** Classes, the length of a row of one-hot labels. */
    public static final int CLASSES = 10;

    private final Path defaultDirectory;
    private final String whereToGetIt;
    private final Map<String, String> sha256;

    KnownDataset(Path defaultDirectory, String whereToGetIt, Map<String, String> sha256) {
        this.defaultDirectory = defaultDirectory;
        this.whereToGetIt = whereToGetIt;
        this.sha256 = sha256;
    }

    /** Where the files are looked for when no folder is given; a relative path is taken from the working folder. */
    public Path defaultDirectory() {
        return defaultDirectory;
    }

    /**
     * Loads the training and test sets from {@code directory}: features [n, 784] scaled to
     * [0, 1], labels one-hot [n, 10].
     */
    public TrainTest load(Path directory) {
        return new TrainTest(read(directory, "train"), read(directory, "t10k"));
    }

    /** Reads one split, "train" or "t10k". */
    DataSet read(Path directory, String split) {
        IdxFile images = IdxFile.read(locate(directory, split + "-images-idx3-ubyte"), 3);
        IdxFile labels = IdxFile.read(locate(directory, split + "-labels-idx1-ubyte"), 1);
        int[] size = images.dimensions();
        if (size[1] != SIDE || size[2] != SIDE) {
            throw IdxFile.problem(images.path(), "images are " + size[1] + "x" + size[2]
                    + " pixels, bnlab's models take " + SIDE + "x" + SIDE);
        }
        int n = images.count();
        if (labels.count() != n) {
            throw IdxFile.problem(labels.path(), labels.count() + " labels for the " + n + " images of "
                    + images.path().getFileName());
        }
        float[] oneHot = new float[n * CLASSES];
        for (int i = 0; i < n; i++) {
            int label = labels.value(i);
            if (label >= CLASSES) {
                throw IdxFile.problem(labels.path(), "label " + label + " of item " + i + " is outside 0-" + (CLASSES - 1));
            }
            oneHot[i * CLASSES + label] = 1f;
        }
        images.requireSha256(sha256.get(split + "-images-idx3-ubyte"));
        labels.requireSha256(sha256.get(split + "-labels-idx1-ubyte"));
        float[] pixels = new float[n * PIXELS];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = images.value(i) / 255f;
        }
        return new DataSet(Nd4j.create(pixels, new long[]{n, PIXELS}, DataType.FLOAT),
                Nd4j.create(oneHot, new long[]{n, CLASSES}, DataType.FLOAT));
    }

    /** The gzip file if there is one, else the raw file. */
    private Path locate(Path directory, String name) {
        Path gzip = directory.resolve(name + ".gz");
        Path raw = directory.resolve(name);
        if (Files.exists(gzip)) {
            return gzip;
        }
        if (Files.exists(raw)) {
            return raw;
        }
        throw new BadInputException(gzip.toAbsolutePath() + ": file not found (nor " + raw.getFileName() + "); "
                + whereToGetIt);
    }

    @Override
    public String toString() {
        return name().toLowerCase();
    }
}
