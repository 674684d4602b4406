package bnlab.data;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

class BatchIteratorTest {

    static DataSet data;

    @BeforeAll
    static void load() {
        data = KnownDataset.MNIST.read(IdxFileTest.MNIST, "t10k");
    }

    @Test
    void everyExampleOnceAnEpochInBatchesOfTheGivenSize() {
        BatchIterator batches = BatchIterator.shuffled(data, 32, InputShape.FLAT, 1);
        List<Long> sizes = new ArrayList<>();
        List<DataSet> all = new ArrayList<>();
        while (batches.hasNext()) {
            DataSet batch = batches.next();
            sizes.add(batch.getFeatures().size(0));
            all.add(batch);
        }
        assertEquals(313, sizes.size());
        assertEquals(16L, sizes.get(312), "the last batch holds the rest");
        DataSet epoch = DataSet.merge(all);
        assertArrayEquals(fingerprints(data), fingerprints(epoch), "the same examples with their labels");
        assertNotEquals(data.getFeatures().getRow(0), epoch.getFeatures().getRow(0), "shuffled");
    }

    @Test
    void orderIsNewEachEpochAndRepeatsWithTheSeed() {
        BatchIterator a = BatchIterator.shuffled(data, 100, InputShape.FLAT, 7);
        BatchIterator b = BatchIterator.shuffled(data, 100, InputShape.FLAT, 7);
        DataSet firstOfEpoch0 = a.next();
        assertEquals(firstOfEpoch0.getFeatures(), b.next().getFeatures());
        a.reset();
        assertNotEquals(firstOfEpoch0.getFeatures(), a.next().getFeatures());
        b.startEpoch(1);
        a.startEpoch(1);
        assertEquals(a.next().getLabels(), b.next().getLabels());
        assertNotEquals(firstOfEpoch0.getFeatures(),
                BatchIterator.shuffled(data, 100, InputShape.FLAT, 8).next().getFeatures());
    }

    @Test
    void inOrderFollowsTheData() {
        DataSet first = BatchIterator.inOrder(data, 10, InputShape.FLAT).next();
        assertEquals(data.getFeatures().getRow(9), first.getFeatures().getRow(9));
    }

    @Test
    void imagesForConvolutionalNetworks() {
        DataSet batch = BatchIterator.inOrder(data, 5, InputShape.IMAGE).next();
        assertArrayEquals(new long[]{5, 1, 28, 28}, batch.getFeatures().shape());
        assertEquals(data.getFeatures().getDouble(0, 28 * 10 + 14), batch.getFeatures().getDouble(0, 0, 10, 14));
    }

    /** A random projection of each example and its label, sorted: equal for two orders of the same examples. */
    private static double[] fingerprints(DataSet examples) {
        Nd4j.getRandom().setSeed(3);
        INDArray projection = Nd4j.rand(DataType.DOUBLE, 794, 1);
        INDArray rows = Nd4j.hstack(examples.getFeatures(), examples.getLabels()).castTo(DataType.DOUBLE);
        double[] values = rows.mmul(projection).toDoubleVector();
        Arrays.sort(values);
        return values;
    }
}
