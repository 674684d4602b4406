package bnlab.data;

import bnlab.BadInputException;
import bnlab.TestData;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ClassSubsetTest {

    private static final ClassSubset UPPER = ClassSubset.range(5, 9);

    @Test
    void keepsEveryExampleOfTheClassesInOrderAndNumbersThemFromZero() {
        DataSet all = first(TestData.mnist().train(), 1000);
        DataSet upper = UPPER.of(all);
        long[] digits = all.getLabels().argMax(1).toLongVector();
        int kept = 0;
        for (int i = 0; i < digits.length; i++) {
            if (digits[i] >= 5) {
                assertEquals(all.getFeatures().getRow(i), upper.getFeatures().getRow(kept), "image of example " + i);
                assertEquals(digits[i] - 5, upper.getLabels().getRow(kept).argMax().getLong(0), "label of example " + i);
                kept++;
            }
        }
        assertEquals(kept, upper.numExamples());
        assertArrayEquals(new long[]{kept, 5}, upper.getLabels().shape());
        assertArrayEquals(new double[kept], upper.getLabels().sum(1).subi(1).toDoubleVector(), 0, "one-hot");
    }

    @Test
    void outputsFollowTheOrderTheClassesAreGivenIn() {
        DataSet all = first(TestData.mnist().test(), 500);
        DataSet swapped = new ClassSubset(List.of(7, 2)).of(all);
        long[] digits = all.getLabels().argMax(1).toLongVector();
        long[] outputs = swapped.getLabels().argMax(1).toLongVector();
        long[] expected = Arrays.stream(digits).filter(d -> d == 7 || d == 2).map(d -> d == 7 ? 0 : 1)
                .toArray();
        assertArrayEquals(expected, outputs);
    }

    @Test
    void splitsTrainingAndTestSetsAlike() {
        TrainTest data = new TrainTest(first(TestData.mnist().train(), 1000), first(TestData.mnist().test(), 1000));
        TrainTest lower = ClassSubset.range(0, 4).of(data);
        TrainTest upper = UPPER.of(data);
        assertEquals(1000, lower.train().numExamples() + upper.train().numExamples());
        assertEquals(1000, lower.test().numExamples() + upper.test().numExamples());
    }

    @Test
    void namesItsClasses() {
        assertEquals("5-9", UPPER.toString());
        assertEquals("7,2", new ClassSubset(List.of(7, 2)).toString());
        assertEquals("3", new ClassSubset(List.of(3)).toString());
    }

    @Test
    void refusesRepeatedMissingOrUnknownClasses() {
        assertThrows(IllegalArgumentException.class, () -> new ClassSubset(List.of(1, 1)));
        assertThrows(IllegalArgumentException.class, () -> new ClassSubset(List.of()));
        assertThrows(IllegalArgumentException.class, () -> ClassSubset.range(8, 10));
        INDArray sevens = Nd4j.zeros(DataType.FLOAT, 3, KnownDataset.CLASSES);
        sevens.getColumn(7).assign(1);
        DataSet noneOfThem = new DataSet(Nd4j.zeros(DataType.FLOAT, 3, KnownDataset.PIXELS), sevens);
        assertThrows(BadInputException.class, () -> ClassSubset.range(0, 4).of(noneOfThem));
    }

    private static DataSet first(DataSet data, int n) {
        return new DataSet(data.getFeatures().get(NDArrayIndex.interval(0, n), NDArrayIndex.all()),
                data.getLabels().get(NDArrayIndex.interval(0, n), NDArrayIndex.all()));
    }
}
