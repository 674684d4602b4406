package bnlab.data;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.DataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Random;

/**
 * Mini-batches of an in-memory {@link DataSet}. A shuffled iterator visits the examples in a
 * new order each epoch; the order of epoch {@code e} depends only on the seed and {@code e},
 * so a run can be repeated, or resumed at any epoch, with the same batches.
 */
public final class BatchIterator implements DataSetIterator {

    private final DataSet data;
    private final int batchSize;
    private final InputShape shape;
    private final Long seed;
    private DataSetPreProcessor preProcessor;
    private int epoch;
    private int[] order;
    private int cursor;

    private BatchIterator(DataSet data, int batchSize, InputShape shape, Long seed) {
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batch size must be positive, was " + batchSize);
        }
        this.data = data;
        this.batchSize = batchSize;
        this.shape = shape;
        this.seed = seed;
        startEpoch(0);
    }

    /** Batches in a seeded random order, new each epoch. */
    public static BatchIterator shuffled(DataSet data, int batchSize, InputShape shape, long seed) {
        return new BatchIterator(data, batchSize, shape, seed);
    }

    /** Batches in the order of the data, for evaluation. */
    public static BatchIterator inOrder(DataSet data, int batchSize, InputShape shape) {
        return new BatchIterator(data, batchSize, shape, null);
    }

    /** Positions the iterator at the start of {@code epoch} (0 is the first). */
    public void startEpoch(int epoch) {
        this.epoch = epoch;
        this.order = seed == null ? identity(data.numExamples()) : permutation(data.numExamples(), seed, epoch);
        this.cursor = 0;
    }

    public int epoch() {
        return epoch;
    }

    public int numExamples() {
        return data.numExamples();
    }

    @Override
    public boolean hasNext() {
        return cursor < order.length;
    }

    @Override
    public DataSet next() {
        return next(batchSize);
    }

    @Override
    public DataSet next(int num) {
        if (!hasNext()) {
            throw new NoSuchElementException("epoch " + epoch + " has no more batches");
        }
        int end = Math.min(cursor + num, order.length);
        int[] rows = Arrays.copyOfRange(order, cursor, end);
        cursor = end;
        INDArray features = Nd4j.pullRows(data.getFeatures(), 1, rows);
        INDArray labels = Nd4j.pullRows(data.getLabels(), 1, rows);
        DataSet batch = new DataSet(shape.arrange(features), labels);
        if (preProcessor != null) {
            preProcessor.preProcess(batch);
        }
        return batch;
    }

    /** Starts the next epoch (DL4J calls this between epochs). */
    @Override
    public void reset() {
        startEpoch(epoch + 1);
    }

    @Override
    public int inputColumns() {
        return (int) data.getFeatures().size(1);
    }

    @Override
    public int totalOutcomes() {
        return (int) data.getLabels().size(1);
    }

    @Override
    public boolean resetSupported() {
        return true;
    }

    /** The data is in memory already: a prefetch thread would only compete for the cores. */
    @Override
    public boolean asyncSupported() {
        return false;
    }

    @Override
    public int batch() {
        return batchSize;
    }

    @Override
    public void setPreProcessor(DataSetPreProcessor preProcessor) {
        this.preProcessor = preProcessor;
    }

    @Override
    public DataSetPreProcessor getPreProcessor() {
        return preProcessor;
    }

    @Override
    public List<String> getLabels() {
        return null;
    }

    private static int[] identity(int n) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        return order;
    }

    private static int[] permutation(int n, long seed, int epoch) {
        int[] order = identity(n);
        Random random = new Random(seed * 1_000_003L + epoch);
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
        return order;
    }
}
