package bnlab.experiment;

import bnlab.train.History;
import bnlab.train.RunName;
import org.deeplearning4j.optimize.api.TrainingListener;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What training a plan's runs left: each run's history, in the order of the runs, and the
 * listeners its {@link Recorder}s made, with what they recorded. A run resumed from a
 * checkpoint records from where it resumed; runs finished before a resume recorded nothing.
 *
 * @param histories  each run's history
 * @param recordings each run's recording listeners, by run name, for the runs trained here
 */
public record Results(List<History> histories, Map<RunName, List<TrainingListener>> recordings) {

    public Results {
        histories = List.copyOf(histories);
        recordings = Map.copyOf(recordings);
    }

    /** Results without recordings. */
    public static Results of(List<History> histories) {
        return new Results(histories, Map.of());
    }

    /** Each run's recording of {@code type}, by run name, in the order of the histories. */
    public <T extends TrainingListener> Map<RunName, T> recorders(Class<T> type) {
        Map<RunName, T> recorders = new LinkedHashMap<>();
        for (History history : histories) {
            recordings.getOrDefault(history.name(), List.of()).stream().filter(type::isInstance).findFirst()
                    .ifPresent(listener -> recorders.put(history.name(), type.cast(listener)));
        }
        return recorders;
    }
}
