package bnlab.experiment;

import bnlab.data.TrainTest;
import bnlab.report.RunFolder;


/**
 * One claim of the tutorial put to measurement, as a pure description: from its settings and
 * data it makes a {@link Plan} (the runs that test the claim), and from the plan and the
 * finished runs' histories it states its {@link Findings}. It keeps no state between the two;
 * {@link Experiments} trains the plan the same way for every experiment (run folder, resume,
 * findings.md and findings.json).
 */
public interface Experiment {

    /** The tutorial's claim, in its words. */
    String claim();

    /** Settings of the full experiment, on full MNIST. */
    ExperimentSettings defaults();

    /** Settings of the reduced version ({@code --quick}): about a minute. */
    ExperimentSettings quick();

    /** The runs that test the claim on {@code data}, in the order they train. Nothing trains here. */
    Plan plan(ExperimentSettings settings, TrainTest data);

    /**
     * Reads what the runs of {@code plan} left, writes the experiment's charts (and any data
     * files) to {@code out}, and says what they show.
     */
    Findings findings(Plan plan, Results results, RunFolder out);

    /**
     * Whether runs of its plan train data-parallel across Spark workers ({@link Runner.Run#workers}
     * above 1): they then train one after the other, each across its workers, rather than as
     * tasks of a sweep.
     */
    default boolean trainsAcrossWorkers() {
        return false;
    }
}
