package bnlab.experiment;

import java.util.Locale;

/**
 * The verdict on a claim that one variant beats another on some figure, from their seeds:
 * it holds when the difference of means exceeds two standard errors, does not hold when the
 * other variant wins by that much, and is not shown otherwise.
 */
public final class Comparison {

    private Comparison() {
    }

    /**
     * @param figure what is compared, e.g. "final validation accuracy"
     * @param higher whether a higher figure is better
     */
    public static String claim(String figure, boolean higher, String better, SeedStatistics a, String worse,
                               SeedStatistics b) {
        double difference = a.mean() - b.mean();
        double twoStandardErrors = 2 * Math.hypot(a.standardError(), b.standardError());
        String figures = String.format(Locale.ROOT, "%s %s: %s %s, %s %s (mean ± sd over seeds), difference %+.4f",
                figure, higher ? "(higher is better)" : "(lower is better)", better, a.format("%.4f"), worse,
                b.format("%.4f"), difference);
        if (Double.isNaN(twoStandardErrors)) {
            return "not shown (one seed, no spread to judge by): " + figures;
        }
        String bound = String.format(Locale.ROOT, " against two standard errors of %.4f", twoStandardErrors);
        if (higher ? a.clearlyAbove(b) : b.clearlyAbove(a)) {
            return "holds: " + figures + bound;
        }
        if (higher ? b.clearlyAbove(a) : a.clearlyAbove(b)) {
            return "does not hold, the opposite was measured: " + figures + bound;
        }
        return "not shown, the difference is within the seeds' noise: " + figures + bound;
    }
}
