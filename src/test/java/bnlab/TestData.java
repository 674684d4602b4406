package bnlab;

import bnlab.data.KnownDataset;
import bnlab.data.TrainTest;

import java.nio.file.Path;

/** The bundled MNIST, read once for all tests. */
public final class TestData {

    private static TrainTest mnist;

    private TestData() {
    }

    public static synchronized TrainTest mnist() {
        if (mnist == null) {
            mnist = KnownDataset.MNIST.load(Path.of("data", "mnist"));
        }
        return mnist;
    }
}
