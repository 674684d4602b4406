package bnlab.train;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.optimize.api.BaseTrainingListener;

import java.util.Arrays;
import java.util.Locale;

/**
 * Stops training that has diverged, by throwing {@link DivergedException} from the iteration
 * where it noticed: a score that is NaN or infinite, or a loss that has exploded (the mean
 * score of the last {@value #WINDOW} iterations above {@value #FACTOR} times that of the first
 * {@value #WINDOW}). Cross-entropy is bounded once probabilities are clipped, so an exploded
 * network shows as a loss stuck many times above its starting value rather than as an
 * ever-growing one.
 */
public final class DivergenceListener extends BaseTrainingListener {

    static final int WINDOW = 100;
    static final double FACTOR = 5;

    private final double[] recent = new double[WINDOW];
    private long iterations;
    private double firstWindowMean = Double.NaN;

    @Override
    public void iterationDone(Model model, int iteration, int epoch) {
        double score = model.score();
        if (!Double.isFinite(score)) {
            throw new DivergedException(String.format(Locale.ROOT, "score %s at iteration %d (epoch %d)",
                    score, iteration + 1, epoch + 1));
        }
        recent[(int) (iterations++ % WINDOW)] = score;
        if (iterations < WINDOW) {
            return;
        }
        double mean = Arrays.stream(recent).average().orElseThrow();
        if (iterations == WINDOW) {
            firstWindowMean = mean;
        } else if (mean > FACTOR * firstWindowMean) {
            throw new DivergedException(String.format(Locale.ROOT,
                    "loss exploded: mean score %.3g over iterations %d-%d, %.3g over the first %d (epoch %d)",
                    mean, iteration + 2 - WINDOW, iteration + 1, firstWindowMean, WINDOW, epoch + 1));
        }
    }

    /** Thrown out of {@code fit} when training has diverged. */
    public static final class DivergedException extends RuntimeException {
        public DivergedException(String message) {
            super(message);
        }
    }
}
