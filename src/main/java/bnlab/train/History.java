package bnlab.train;

import java.io.Serializable;
import java.util.List;

/**
 * What was recorded while one model trained.
 *
 * @param name            the run's name
 * @param epochs          one record per finished epoch
 * @param iterationScores the score (loss) of every iteration, in order
 * @param status          running, done, or diverged
 * @param note            why training stopped early, or null
 */
public record History(RunName name, List<EpochRecord> epochs, List<Double> iterationScores, Status status,
                      String note) implements Serializable {

    public History {
        epochs = List.copyOf(epochs);
        iterationScores = List.copyOf(iterationScores);
    }

    /** The history of a run that has not trained yet. */
    public static History start(RunName name) {
        return new History(name, List.of(), List.of(), Status.RUNNING, null);
    }

    /** The history of a model, trained on its own, that has not trained yet. */
    public static History start(String model) {
        return start(RunName.of(model));
    }

    /** The run's name as results show it: "bn_before-s2", "mlp_bn". */
    public String model() {
        return name.toString();
    }

    public History withStatus(Status status, String note) {
        return new History(name, epochs, iterationScores, status, note);
    }

    /** The last finished epoch, or null if none finished. */
    public EpochRecord last() {
        return epochs.isEmpty() ? null : epochs.get(epochs.size() - 1);
    }

    /** Training seconds summed over all epochs. */
    public double seconds() {
        return epochs.stream().mapToDouble(EpochRecord::seconds).sum();
    }
}
