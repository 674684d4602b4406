package bnlab.data;

import bnlab.BadInputException;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * A task made of some of a dataset's classes, such as MNIST's digits 5-9: only their examples,
 * labelled by their position in the subset, so that the k-th class of the subset is output k of
 * a network with as many outputs as the subset has classes (digit 5 is output 0).
 *
 * @param classes the dataset's classes, in the order of the outputs
 */
public record ClassSubset(List<Integer> classes) {

    public ClassSubset {
        classes = List.copyOf(classes);
        if (classes.isEmpty() || new LinkedHashSet<>(classes).size() != classes.size()) {
            throw new IllegalArgumentException("classes must be distinct and at least one: " + classes);
        }
        if (classes.stream().anyMatch(c -> c < 0 || c >= KnownDataset.CLASSES)) {
            throw new IllegalArgumentException("classes must lie in 0-" + (KnownDataset.CLASSES - 1) + ": " + classes);
        }
    }

    /** Classes {@code first} to {@code last}, both included. */
    public static ClassSubset range(int first, int last) {
        return new ClassSubset(IntStream.rangeClosed(first, last).boxed().toList());
    }

    public int size() {
        return classes.size();
    }

    /** The training and test examples of these classes. */
    public TrainTest of(TrainTest data) {
        return new TrainTest(of(data.train()), of(data.test()));
    }

    /** The examples of these classes, in their order in {@code data}, with labels one-hot over this subset. */
    public DataSet of(DataSet data) {
        long[] datasetClass = data.getLabels().argMax(1).toLongVector();
        List<Integer> kept = new ArrayList<>();
        List<Integer> outputs = new ArrayList<>();
        for (int i = 0; i < datasetClass.length; i++) {
            int output = classes.indexOf((int) datasetClass[i]);
            if (output >= 0) {
                kept.add(i);
                outputs.add(output);
            }
        }
        if (kept.isEmpty()) {
            throw new BadInputException("no example of classes " + this + " among " + datasetClass.length);
        }
        INDArray labels = Nd4j.zeros(DataType.FLOAT, kept.size(), size());
        for (int i = 0; i < kept.size(); i++) {
            labels.putScalar(i, outputs.get(i), 1);
        }
        int[] rows = kept.stream().mapToInt(Integer::intValue).toArray();
        return new DataSet(Nd4j.pullRows(data.getFeatures(), 1, rows), labels);
    }

    /** "5-9" for a run of consecutive classes, else "1,3,7". */
    @Override
    public String toString() {
        int first = classes.get(0);
        boolean consecutive = IntStream.range(0, size()).allMatch(k -> classes.get(k) == first + k);
        return consecutive && size() > 1 ? first + "-" + classes.get(size() - 1)
                : classes.stream().map(String::valueOf).collect(Collectors.joining(","));
    }
}
