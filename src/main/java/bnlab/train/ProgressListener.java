package bnlab.train;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.optimize.api.BaseTrainingListener;

import java.util.Locale;

/**
 * Shows how far the running epoch has come, with examples per second and the time left: on a
 * terminal as one line redrawn in place, elsewhere as a plain line every half minute.
 */
public final class ProgressListener extends BaseTrainingListener {

    private static final int BAR_WIDTH = 24;

    private final Console console;
    private final String label;
    private final long examplesPerEpoch;
    private final int epochs;
    private final long intervalNanos;
    private int epoch;
    private long examples;
    private long epochStart;
    private long lastShown;

    /** @param firstEpoch 1 unless training resumes a run */
    public ProgressListener(Console console, String label, long examplesPerEpoch, int firstEpoch, int epochs) {
        this.console = console;
        this.label = label;
        this.examplesPerEpoch = examplesPerEpoch;
        this.epoch = firstEpoch - 1;
        this.epochs = epochs;
        this.intervalNanos = console.terminal() ? 250_000_000L : 30_000_000_000L;
    }

    @Override
    public void onEpochStart(Model model) {
        epoch++;
        examples = 0;
        epochStart = lastShown = System.nanoTime();
    }

    @Override
    public void iterationDone(Model model, int iteration, int epochCount) {
        examples += model.batchSize();
        long now = System.nanoTime();
        if (now - lastShown < intervalNanos) {
            return;
        }
        lastShown = now;
        double seconds = (now - epochStart) / 1e9;
        double rate = examples / seconds;
        double left = (examplesPerEpoch - examples) / rate;
        String line = String.format(Locale.ROOT, "%s epoch %d/%d %s %d/%d  %.0f examples/s  %.0f s left",
                label, epoch, epochs, bar(), examples, examplesPerEpoch, rate, left);
        console.printf(console.terminal() ? "\r%s\u001B[K" : "%s%n", line);
    }

    @Override
    public void onEpochEnd(Model model) {
        if (console.terminal()) {
            console.printf("\r\u001B[K");
        }
    }

    private String bar() {
        int done = (int) (BAR_WIDTH * examples / examplesPerEpoch);
        return "[" + "#".repeat(done) + ".".repeat(BAR_WIDTH - done) + "]";
    }
}
