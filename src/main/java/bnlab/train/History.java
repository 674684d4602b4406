package bnlab.train;

import java.util.List;

/**
 * What was recorded while one model trained.
 *
 * @param model           the model's name
 * @param epochs          one record per finished epoch
 * @param iterationScores the score (loss) of every iteration, in order
 */
public record History(String model, List<EpochRecord> epochs, List<Double> iterationScores) {

    public History {
        epochs = List.copyOf(epochs);
        iterationScores = List.copyOf(iterationScores);
    }

    public EpochRecord last() {
        if (epochs.isEmpty()) {
            throw new IllegalStateException(model + " has not finished an epoch");
        }
        return epochs.get(epochs.size() - 1);
    }

    /** Training seconds summed over all epochs. */
    public double seconds() {
        return epochs.stream().mapToDouble(EpochRecord::seconds).sum();
    }
}
