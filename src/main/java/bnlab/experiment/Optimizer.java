package bnlab.experiment;

import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Sgd;

import java.util.function.DoubleFunction;

/** The optimizers the experiments try, by the names results use: plain SGD (no momentum) and Adam. */
enum Optimizer {

    SGD(Sgd::new),
    ADAM(Adam::new);

    private final DoubleFunction<IUpdater> updater;

    Optimizer(DoubleFunction<IUpdater> updater) {
        this.updater = updater;
    }

    IUpdater at(double learningRate) {
        return updater.apply(learningRate);
    }

    @Override
    public String toString() {
        return name().toLowerCase();
    }
}
