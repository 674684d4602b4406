package bnlab.experiment;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.util.Locale;

/**
 * The evidence on a claim that one variant beats another on some figure, from their seeds: the
 * claim holds when the difference of means exceeds two standard errors of that difference, the
 * opposite was measured when the other variant wins by that much, and it is not shown otherwise
 * (or with one seed, which gives no spread to judge by).
 *
 * @param figure          what is compared, e.g. "final validation accuracy"
 * @param higherIsBetter  whether a higher figure is better
 * @param claimedBetter   the variant the claim says is better, and its figure over seeds
 * @param claimedWorse    the other variant, and its figure
 */
// Computed properties come in no fixed order from reflection; findings.json is committed and compared.
@JsonPropertyOrder({"figure", "higherIsBetter", "claimedBetter", "claimedWorse", "difference", "twoStandardErrors",
        "outcome"})
public record Comparison(String figure, boolean higherIsBetter, Side claimedBetter, Side claimedWorse) {

    /** One variant of a comparison and its figure over seeds. */
    public record Side(String variant, SeedStatistics figure) {
    }

    public static Comparison of(String figure, boolean higherIsBetter, String better, SeedStatistics betterFigure,
                                String worse, SeedStatistics worseFigure) {
        return new Comparison(figure, higherIsBetter, new Side(better, betterFigure), new Side(worse, worseFigure));
    }

    /** The claimed-better variant's mean minus the other's. */
    @JsonProperty
    public double difference() {
        return claimedBetter.figure().mean() - claimedWorse.figure().mean();
    }

    /** Two standard errors of the difference; NaN with one seed on either side. */
    @JsonProperty
    public double twoStandardErrors() {
        return 2 * Math.hypot(claimedBetter.figure().standardError(), claimedWorse.figure().standardError());
    }

    @JsonProperty
    public Outcome outcome() {
        SeedStatistics better = claimedBetter.figure();
        SeedStatistics worse = claimedWorse.figure();
        if (higherIsBetter ? better.clearlyAbove(worse) : worse.clearlyAbove(better)) {
            return Outcome.HOLDS;
        }
        if (higherIsBetter ? worse.clearlyAbove(better) : better.clearlyAbove(worse)) {
            return Outcome.OPPOSITE;
        }
        return Outcome.NOT_SHOWN;
    }

    /** "holds: final validation accuracy (higher is better): bn 0.98 ± 0.01 (n=3), ... against two standard errors of 0.01" */
    public String sentence() {
        String figures = String.format(Locale.ROOT, "%s %s: %s %s, %s %s (mean ± sd over seeds), difference %+.4f",
                figure, higherIsBetter ? "(higher is better)" : "(lower is better)", claimedBetter.variant(),
                claimedBetter.figure().format("%.4f"), claimedWorse.variant(), claimedWorse.figure().format("%.4f"),
                difference());
        if (Double.isNaN(twoStandardErrors())) {
            return Outcome.NOT_SHOWN.words() + " (one seed, no spread to judge by): " + figures;
        }
        String reason = outcome() == Outcome.NOT_SHOWN ? ", the difference is within the seeds' noise" : "";
        return String.format(Locale.ROOT, "%s%s: %s against two standard errors of %.4f", outcome().words(), reason, figures,
                twoStandardErrors());
    }
}
