package bnlab.data;

import bnlab.BadInputException;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.io.Serializable;

/** A dataset's training and test sets, held in memory. */
public record TrainTest(DataSet train, DataSet test) implements Serializable {

    /** The same data with only the first {@code n} training examples. */
    public TrainTest limitTrain(int n) {
        int available = train.numExamples();
        if (n <= 0 || n > available) {
            throw new BadInputException("limit " + n + " is outside 1-" + available + ", the size of the training set");
        }
        if (n == available) {
            return this;
        }
        DataSet first = new DataSet(train.getFeatures().get(NDArrayIndex.interval(0, n), NDArrayIndex.all()).dup(),
                train.getLabels().get(NDArrayIndex.interval(0, n), NDArrayIndex.all()).dup());
        return new TrainTest(first, test);
    }
}
