package bnlab.experiment;

import bnlab.data.TrainTest;
import org.deeplearning4j.optimize.api.TrainingListener;

import java.io.Serializable;

/**
 * What a run records beyond its history, described so that the run stays a value: the
 * listener that records it is made where and when the run trains, from the data it trains on,
 * and comes back in the {@link Results}.
 */
@FunctionalInterface
public interface Recorder extends Serializable {

    TrainingListener listener(TrainTest data);
}
