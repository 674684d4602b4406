package bnlab.train;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.optimize.api.BaseTrainingListener;

import java.time.Duration;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Shows how far the running epoch has come, with examples per second and the time left: on a
 * terminal as a bar redrawn in place four times a second, elsewhere (a log, a pipe) as a
 * plain line every half minute, so that only epochs longer than that leave lines behind.
 */
public final class ProgressListener extends BaseTrainingListener {

    static final Duration TERMINAL_INTERVAL = Duration.ofMillis(250);
    static final Duration PLAIN_INTERVAL = Duration.ofSeconds(30);
    private static final int BAR_WIDTH = 20;

    private final Console console;
    private final String label;
    private final long examplesPerEpoch;
    private final int epochs;
    private final long intervalNanos;
    private final LongSupplier nanoClock;
    private int epoch;
    private long examples;
    private long epochStart;
    private long lastShown;

    /** @param firstEpoch 1 unless training resumes a run */
    public ProgressListener(Console console, String label, long examplesPerEpoch, int firstEpoch, int epochs) {
        this(console, label, examplesPerEpoch, firstEpoch, epochs,
                console.terminal() ? TERMINAL_INTERVAL : PLAIN_INTERVAL, System::nanoTime);
    }

    /**
     * @param interval  time between two updates of the progress
     * @param nanoClock the time in nanoseconds, as {@link System#nanoTime()} tells it
     */
    ProgressListener(Console console, String label, long examplesPerEpoch, int firstEpoch, int epochs,
                     Duration interval, LongSupplier nanoClock) {
        this.console = console;
        this.label = label;
        this.examplesPerEpoch = examplesPerEpoch;
        this.epoch = firstEpoch - 1;
        this.epochs = epochs;
        this.intervalNanos = interval.toNanos();
        this.nanoClock = nanoClock;
    }

    @Override
    public void onEpochStart(Model model) {
        epoch++;
        examples = 0;
        epochStart = lastShown = nanoClock.getAsLong();
    }

    @Override
    public void iterationDone(Model model, int iteration, int epochCount) {
        examples += model.batchSize();
        long now = nanoClock.getAsLong();
        if (now - lastShown < intervalNanos) {
            return;
        }
        lastShown = now;
        double rate = examples / ((now - epochStart) / 1e9);
        String left = clock((examplesPerEpoch - examples) / rate);
        long percent = 100 * examples / examplesPerEpoch;
        if (console.terminal()) {
            console.printf("\r%-8s epoch %2d/%d %s %3d%%  %.0f examples/s  %s left\u001B[K", label, epoch, epochs, bar(),
                    percent, rate, left);
        } else {
            console.printf("%-8s epoch %2d/%d  %d/%d examples (%d%%)  %.0f examples/s  %s left%n", label, epoch, epochs,
                    examples, examplesPerEpoch, percent, rate, left);
        }
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

    /** Seconds as m:ss, or h:mm:ss from an hour on. */
    private static String clock(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600
                ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
