package bnlab.experiment;

import java.util.Arrays;
import java.util.Locale;

/**
 * Mean and spread of one figure over the seeds of a variant.
 *
 * @param runs number of runs the figures come from
 */
public record SeedStatistics(double mean, double sd, double min, double max, int runs) {

    public static SeedStatistics of(double... values) {
        if (values.length == 0) {
            return new SeedStatistics(Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0);
        }
        double mean = Arrays.stream(values).average().orElseThrow();
        double squares = Arrays.stream(values).map(v -> (v - mean) * (v - mean)).sum();
        double sd = values.length > 1 ? Math.sqrt(squares / (values.length - 1)) : 0;
        return new SeedStatistics(mean, sd, Arrays.stream(values).min().orElseThrow(),
                Arrays.stream(values).max().orElseThrow(), values.length);
    }

    /** Standard error of the mean. */
    public double standardError() {
        return runs > 1 ? sd / Math.sqrt(runs) : Double.NaN;
    }

    /**
     * Whether this mean is above {@code other}'s by more than two standard errors of the
     * difference: the test every experiment applies before calling a difference real. With one
     * seed each there is no spread to judge by, and nothing is called real.
     */
    public boolean clearlyAbove(SeedStatistics other) {
        double se = Math.hypot(standardError(), other.standardError());
        return !Double.isNaN(se) && mean - other.mean > 2 * se;
    }

    /** "0.9812 ± 0.0008 (n=3)": mean ± standard deviation over the seeds. */
    public String format(String numberFormat) {
        return String.format(Locale.ROOT, numberFormat + " ± " + numberFormat + " (n=%d)", mean, sd, runs);
    }
}
