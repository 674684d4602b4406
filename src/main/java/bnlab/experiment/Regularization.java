package bnlab.experiment;

import bnlab.model.Mlp;
import bnlab.model.Normalization;
import bnlab.report.Charts;
import bnlab.report.MarkdownTable;
import bnlab.report.RunFolder;
import bnlab.train.History;
import bnlab.train.Status;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.knowm.xchart.XYChart;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongFunction;

/**
 * "Batch normalization regularizes mildly, and smooths the loss curve." The tutorial's MLP with
 * and without BN: the gap between training and validation accuracy after the last epoch, and
 * how much the loss jumps from one iteration to the next (the standard deviation of successive
 * differences of the iteration scores after the first epoch, when the steep initial descent is
 * over).
 */
public final class Regularization implements TutorialVariants {

    @Override
    public String claim() {
        return "Batch normalization has a mild regularizing effect (a smaller gap between training and validation "
                + "accuracy) and smooths the loss curve.";
    }

    @Override
    public Map<String, LongFunction<MultiLayerConfiguration>> variants() {
        Map<String, LongFunction<MultiLayerConfiguration>> variants = new LinkedHashMap<>();
        variants.put("no_bn", seed -> Mlp.tutorial(seed).configuration());
        variants.put("bn", seed -> Mlp.tutorial(seed).withNormalization(Normalization.BATCH).configuration());
        return variants;
    }

    @Override
    public Findings findings(Plan plan, Results results, RunFolder out) {
        List<History> histories = results.histories();
        Map<String, SeedStatistics> gap = Variants.finalFigure(histories, r -> r.trainAccuracy() - r.valAccuracy());
        Map<String, SeedStatistics> jumps = perVariant(histories);
        out.writePng("regularization.png", Charts.sideBySide(
                Variants.meanCurves("Training minus validation accuracy", histories,
                        r -> r.trainAccuracy() - r.valAccuracy()),
                iterationScores(histories)));
        List<Verdict> verdict = List.of(
                new Verdict("regularizes", Comparison.of("final training - validation accuracy", false,
                        "bn", gap.get("bn"), "no_bn", gap.get("no_bn"))),
                new Verdict("smooths", Comparison.of("sd of successive iteration-score changes after epoch 1", false,
                        "bn", jumps.get("bn"), "no_bn", jumps.get("no_bn"))));
        MarkdownTable table = MarkdownTable.of("variant", "training - validation accuracy",
                "sd of iteration-to-iteration score change");
        gap.forEach((variant, statistics) -> table.row(variant, statistics.format("%.4f"),
                jumps.get(variant).format("%.4f")));
        StringBuilder markdown = new StringBuilder(Variants.table(histories)).append('\n').append(table);
        markdown.append("\nTraining accuracy is Keras's: measured on each batch as it trained, in training mode.\n")
                .append("\n![regularization](regularization.png)\n");
        return new Findings(verdict, markdown.toString());
    }

    /** The spread of successive score changes after the first epoch, over each variant's seeds. */
    private static Map<String, SeedStatistics> perVariant(List<History> histories) {
        Map<String, SeedStatistics> statistics = new LinkedHashMap<>();
        Variants.byVariant(histories).forEach((variant, runs) -> statistics.put(variant, SeedStatistics.of(runs.stream()
                .filter(h -> h.status() == Status.DONE)
                .mapToDouble(Regularization::successiveChangeSpread)
                .toArray())));
        return statistics;
    }

    static double successiveChangeSpread(History history) {
        List<Double> scores = history.iterationScores();
        int firstEpoch = scores.size() / history.epochs().size();
        double[] changes = new double[scores.size() - firstEpoch - 1];
        for (int i = 0; i < changes.length; i++) {
            changes[i] = scores.get(firstEpoch + i + 1) - scores.get(firstEpoch + i);
        }
        return SeedStatistics.of(changes).sd();
    }

    /** The first seed's iteration scores of each variant. */
    static XYChart iterationScores(List<History> histories) {
        List<Charts.Line> lines = new ArrayList<>();
        int color = 0;
        for (List<History> runs : Variants.byVariant(histories).values()) {
            History first = runs.get(0);
            double[] y = first.iterationScores().stream().mapToDouble(Double::doubleValue).toArray();
            double[] x = new double[y.length];
            for (int i = 0; i < x.length; i++) {
                x[i] = i + 1;
            }
            lines.add(new Charts.Line(first.model(), x, y, color++, false));
        }
        return Charts.lines(String.format(Locale.ROOT, "Loss per iteration (seed %d)", 1), "iteration", "score",
                lines, true);
    }
}
