package bnlab;

import bnlab.data.KnownDataset;
import bnlab.data.TrainTest;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.indexing.NDArrayIndex;

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

    /** The first examples of each set, for tests whose validation need not be on all 10,000. */
    public static TrainTest mnist(int trainExamples, int testExamples) {
        return new TrainTest(first(mnist().train(), trainExamples), first(mnist().test(), testExamples));
    }

    private static DataSet first(DataSet examples, int n) {
        return new DataSet(examples.getFeatures().get(NDArrayIndex.interval(0, n), NDArrayIndex.all()).dup(),
                examples.getLabels().get(NDArrayIndex.interval(0, n), NDArrayIndex.all()).dup());
    }
}
