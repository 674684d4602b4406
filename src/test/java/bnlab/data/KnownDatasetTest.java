package bnlab.data;

import bnlab.BadInputException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static bnlab.data.IdxFileTest.MNIST;
import static bnlab.data.IdxFileTest.TEST_IMAGES;
import static bnlab.data.IdxFileTest.TEST_LABELS;
import static bnlab.data.IdxFileTest.gunzip;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KnownDatasetTest {

    static TrainTest mnist;

    @TempDir
    Path dir;

    @BeforeAll
    static void loadMnist() {
        mnist = KnownDataset.MNIST.load(MNIST);
    }

    @Test
    void fullMnistHasItsPublishedShape() {
        assertArrayEquals(new long[]{60000, 784}, mnist.train().getFeatures().shape());
        assertArrayEquals(new long[]{60000, 10}, mnist.train().getLabels().shape());
        assertArrayEquals(new long[]{10000, 784}, mnist.test().getFeatures().shape());
        assertEquals(5, label(mnist.train(), 0));
        assertEquals(0, label(mnist.train(), 1));
        assertEquals(7, label(mnist.test(), 0));
        assertEquals(0.0, mnist.train().getFeatures().minNumber().doubleValue());
        assertEquals(1.0, mnist.train().getFeatures().maxNumber().doubleValue());
        assertArrayEquals(new double[60000], mnist.train().getLabels().sum(1).subi(1).toDoubleVector(), 0,
                "one-hot labels");
    }

    @Test
    void digitsAreSpreadOverAllTenClasses() {
        double[] perClass = mnist.test().getLabels().sum(0).toDoubleVector();
        assertEquals(10000, Arrays.stream(perClass).sum());
        assertTrue(Arrays.stream(perClass).allMatch(n -> n > 800 && n < 1200), Arrays.toString(perClass));
    }

    @Test
    void limitKeepsTheFirstExamples() {
        TrainTest first = mnist.limitTrain(3000);
        assertEquals(3000, first.train().numExamples());
        assertEquals(mnist.train().getFeatures().getRow(2999), first.train().getFeatures().getRow(2999));
        assertEquals(10000, first.test().numExamples());
        assertThrows(BadInputException.class, () -> mnist.limitTrain(60001));
    }

    @Test
    void fashionMnistComesFromDebiansPackage() {
        TrainTest fashion = KnownDataset.FASHION.load(KnownDataset.FASHION.defaultDirectory());
        assertEquals(60000, fashion.train().numExamples());
        assertEquals(9, label(fashion.train(), 0), "the first Fashion-MNIST training item is an ankle boot");
    }

    @Test
    void missingDirectoryNamesTheFileAndTheFix() {
        BadInputException e = assertThrows(BadInputException.class, () -> KnownDataset.FASHION.load(dir));
        assertTrue(e.getMessage().contains("train-images-idx3-ubyte.gz: file not found"), e.getMessage());
        assertTrue(e.getMessage().contains("dataset-fashion-mnist"), e.getMessage());
    }

    @Test
    void fewerLabelsThanImages() throws IOException {
        Files.copy(TEST_IMAGES, dir.resolve("t10k-images-idx3-ubyte.gz"));
        byte[] labels = gunzip(TEST_LABELS);
        byte[] fewer = Arrays.copyOf(labels, labels.length - 10);
        ByteBuffer.wrap(fewer).putInt(4, 9990);
        Files.write(dir.resolve("t10k-labels-idx1-ubyte"), fewer);
        assertReadFails("9990 labels for the 10000 images");
    }

    @Test
    void labelOutOfRange() throws IOException {
        Files.copy(TEST_IMAGES, dir.resolve("t10k-images-idx3-ubyte.gz"));
        byte[] labels = gunzip(TEST_LABELS);
        labels[8 + 17] = 10;
        Files.write(dir.resolve("t10k-labels-idx1-ubyte"), labels);
        assertReadFails("label 10 of item 17 is outside 0-9");
    }

    @Test
    void changedPixelFailsTheChecksum() throws IOException {
        byte[] images = gunzip(TEST_IMAGES);
        images[16 + 400] ^= 1;
        Files.write(dir.resolve("t10k-images-idx3-ubyte"), images);
        Files.copy(TEST_LABELS, dir.resolve("t10k-labels-idx1-ubyte.gz"));
        assertReadFails("differs from the published");
    }

    @Test
    void imagesOfAnotherSize() throws IOException {
        byte[] images = gunzip(TEST_IMAGES);
        ByteBuffer.wrap(images).putInt(8, 56).putInt(12, 14);
        Files.write(dir.resolve("t10k-images-idx3-ubyte"), images);
        Files.copy(TEST_LABELS, dir.resolve("t10k-labels-idx1-ubyte.gz"));
        assertReadFails("images are 56x14 pixels, bnlab's models take 28x28");
    }

    private void assertReadFails(String expected) {
        BadInputException e = assertThrows(BadInputException.class, () -> KnownDataset.MNIST.read(dir, "t10k"));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    static int label(DataSet data, int row) {
        return Nd4j.argMax(data.getLabels().getRow(row)).getInt(0);
    }
}
