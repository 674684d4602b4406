package bnlab.experiment;

import bnlab.data.TrainTest;

import java.util.List;
import java.util.Optional;

/**
 * What an experiment trains, made from its settings and data before anything trains and never
 * changed after: the runs in the order they train, the data they train and validate on, and
 * networks to pretrain first that some runs start from.
 *
 * @param settings    the experiment's settings
 * @param data        what the runs train and validate on
 * @param runs        the runs, in the order they train
 * @param pretraining networks trained first, in a folder of their own, for runs that start from them
 */
public record Plan(ExperimentSettings settings, TrainTest data, List<Runner.Run> runs,
                   Optional<Pretraining> pretraining) {

    public Plan {
        runs = List.copyOf(runs);
    }

    public Plan(ExperimentSettings settings, TrainTest data, List<Runner.Run> runs) {
        this(settings, data, runs, Optional.empty());
    }
}
