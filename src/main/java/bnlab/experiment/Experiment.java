package bnlab.experiment;

import bnlab.data.TrainTest;
import bnlab.report.RunFolder;
import bnlab.train.Checkpoint;
import bnlab.train.Console;
import bnlab.train.History;

import java.util.List;

/**
 * One claim of the tutorial put to measurement: the runs that test it, and what they found.
 * {@link Experiments} runs any of them the same way (run folder, resume, findings.md).
 */
public interface Experiment {

    /** The tutorial's claim, in its words. */
    String claim();

    /** Settings of the full experiment, on full MNIST. */
    ExperimentSettings defaults();

    /** Settings of the reduced version ({@code --quick}): about a minute. */
    ExperimentSettings quick();

    /** The runs, in the order they train. */
    List<Runner.Run> runs(ExperimentSettings settings);

    /**
     * Trains the runs into {@code out}, from {@code checkpoint} if not null, and returns their
     * histories: {@link #runs} on {@code data}, with one Runner. An experiment whose runs need
     * something trained first, or other data, does it here.
     */
    default List<History> train(ExperimentSettings settings, TrainTest data, Console console, RunFolder out,
                                Checkpoint.Restored checkpoint) {
        return new Runner(out, console, settings, histories -> {
        }).run(runs(settings), data, checkpoint);
    }

    /** Reads the finished runs, writes the experiment's charts to {@code out}, and says what they show. */
    Findings findings(List<History> histories, ExperimentSettings settings, RunFolder out);
}
