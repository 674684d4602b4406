package bnlab.ui;

import bnlab.BadInputException;
import bnlab.report.RunFolder;
import org.deeplearning4j.core.storage.StatsStorageRouter;
import org.deeplearning4j.ui.model.stats.StatsListener;
import org.deeplearning4j.ui.model.stats.api.StatsType;
import org.deeplearning4j.ui.model.stats.api.StatsUpdateConfiguration;
import org.deeplearning4j.ui.model.storage.FileStatsStorage;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What a training run reports to DL4J's dashboard: a {@link StatsListener} per model, every
 * {@value #REPORTING_FREQUENCY} iterations, with the summary figures the dashboard's charts
 * draw and no others.
 */
public final class TrainingStats {

    /**
     * Iterations between two reports. Each report costs the training thread time of its own;
     * {@code bench --variants tuned,stats} measures what it adds (docs/PERFORMANCE.md). An
     * epoch of MNIST in batches of 32 still gives the score chart 37 points, and the
     * tutorial's 10 epochs stay under the 512 points the dashboard draws before it thins them out.
     */
    public static final int REPORTING_FREQUENCY = 50;

    /** DL4J's default. */
    private static final int HISTOGRAM_BINS = 20;

    private TrainingStats() {
    }

    /** A listener that reports the model it listens to as {@code sessionId} to {@code storage}. */
    public static StatsListener listener(StatsStorageRouter storage, String sessionId) {
        return new StatsListener(storage, null, new DashboardFigures(REPORTING_FREQUENCY), sessionId, null);
    }

    /**
     * The dashboard's session for {@code model} trained in {@code runFolder}: named after both,
     * so that runs replayed together stay apart, in characters that a URL path keeps as they are.
     */
    public static String sessionId(Path runFolder, String model) {
        Path folder = runFolder.toAbsolutePath().normalize().getFileName();
        return (model + "@" + folder).replaceAll("[^A-Za-z0-9._@-]", "_");
    }

    /** The stats recorded in the run folder {@code runFolder}, opened to be shown (and closed after). */
    public static FileStatsStorage recordedIn(Path runFolder) {
        Path file = runFolder.resolve(RunFolder.STATS);
        if (!Files.isRegularFile(file)) {
            throw new BadInputException(file + ": not found; every training command records it in its run folder");
        }
        return new FileStatsStorage(file.toFile());
    }

    /**
     * The figures DL4J's dashboard (1.0.0-M2.1) draws, and no others: mean magnitudes of
     * parameters and updates (the update:parameter ratios), standard deviations of
     * activations, gradients and updates, mean activations, learning rates, memory and speed,
     * and histograms of parameters and updates, without which its model page fails.
     * DL4J's defaults also compute histograms of activations and gradients and the other
     * summaries, which no page shows; its builder cannot turn off histograms of gradients
     * (that switch is ignored for the one of their standard deviations).
     */
    private record DashboardFigures(int reportingFrequency) implements StatsUpdateConfiguration {

        @Override
        public boolean collectPerformanceStats() {
            return true;
        }

        @Override
        public boolean collectMemoryStats() {
            return true;
        }

        @Override
        public boolean collectGarbageCollectionStats() {
            return false;
        }

        @Override
        public boolean collectLearningRates() {
            return true;
        }

        @Override
        public boolean collectHistograms(StatsType type) {
            return type == StatsType.Parameters || type == StatsType.Updates;
        }

        @Override
        public int numHistogramBins(StatsType type) {
            return HISTOGRAM_BINS;
        }

        @Override
        public boolean collectMean(StatsType type) {
            return type == StatsType.Activations;
        }

        @Override
        public boolean collectStdev(StatsType type) {
            return type != StatsType.Parameters;
        }

        @Override
        public boolean collectMeanMagnitudes(StatsType type) {
            return type == StatsType.Parameters || type == StatsType.Updates;
        }
    }
}
