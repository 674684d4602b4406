package bnlab.experiment;

import bnlab.report.Charts;
import bnlab.report.MarkdownTable;
import bnlab.train.EpochRecord;
import bnlab.train.History;
import bnlab.train.Status;
import org.knowm.xchart.XYChart;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;

import static bnlab.experiment.Transfer.FROZEN_EPOCHS;
import static bnlab.experiment.Transfer.WINDOW;

/**
 * The transfer experiment's page share of its histories: validation accuracy per epoch, the
 * training loss on each side of the unfreezing, and the training loss curves.
 *
 * @param histories the fine-tuning runs' histories
 */
record FineTuningCurves(List<History> histories) {

    /** Each variant's validation accuracy after every epoch, mean ± sd over its seeds. */
    String accuracyPerEpoch(int epochs) {
        List<String> headers = new ArrayList<>(List.of("variant"));
        IntStream.rangeClosed(1, epochs).forEach(e -> headers.add("epoch " + e));
        MarkdownTable table = MarkdownTable.of(headers);
        List<Map<String, SeedStatistics>> perEpoch = IntStream.rangeClosed(1, epochs)
                .mapToObj(e -> Variants.figureAfterEpoch(histories, e, EpochRecord::valAccuracy)).toList();
        for (String variant : Variants.byVariant(histories).keySet()) {
            List<String> cells = new ArrayList<>(List.of(variant));
            perEpoch.forEach(figures -> cells.add(figures.get(variant).format("%.4f")));
            table.row(cells);
        }
        return table.toString();
    }

    /**
     * The training loss in the {@link Transfer#WINDOW} steps before and after bn_frozen_first's
     * BN layers unfreeze, beside the same steps of all_trainable: the shock of switching from
     * running to batch statistics shows as a jump in the first.
     */
    String unfreezing() {
        Map<String, List<History>> byVariant = Variants.byVariant(histories);
        List<History> frozenFirst = done(byVariant.get(FineTuningVariant.BN_FROZEN_FIRST.toString()));
        if (frozenFirst.isEmpty() || frozenFirst.get(0).epochs().size() <= FROZEN_EPOCHS) {
            return "";
        }
        History any = frozenFirst.get(0);
        int step = FROZEN_EPOCHS * (any.iterationScores().size() / any.epochs().size());
        MarkdownTable table = MarkdownTable.of("variant", "before", "after", "change");
        for (FineTuningVariant variant : List.of(FineTuningVariant.BN_FROZEN_FIRST, FineTuningVariant.ALL_TRAINABLE)) {
            List<History> runs = done(byVariant.get(variant.toString()));
            double[] before = runs.stream().mapToDouble(h -> meanScore(h, step - WINDOW, step)).toArray();
            double[] after = runs.stream().mapToDouble(h -> meanScore(h, step, step + WINDOW)).toArray();
            double[] change = IntStream.range(0, runs.size()).mapToDouble(i -> after[i] - before[i]).toArray();
            table.row(variant, SeedStatistics.of(before).format("%.4f"), SeedStatistics.of(after).format("%.4f"),
                    SeedStatistics.of(change).format("%+.4f"));
        }
        return String.format(Locale.ROOT, "%n## At the unfreezing%n%nTraining loss (mean of the batches' losses) in the "
                + "%d steps before step %d, where bn_frozen_first's BN layers unfreeze, and in the %d steps from it; "
                + "mean ± sd over seeds.%n%n", WINDOW, step, WINDOW) + table;
    }

    /**
     * Each variant's training loss per step, averaged over its seeds and over the last
     * {@link Transfer#WINDOW} steps (fewer in runs too short for that).
     */
    XYChart trainingLoss() {
        List<History> finished = done(histories);
        int steps = finished.stream().mapToInt(h -> h.iterationScores().size()).min().orElse(0);
        int window = Math.min(WINDOW, Math.max(1, steps / 4));
        double[] x = IntStream.rangeClosed(window, steps).asDoubleStream().toArray();
        List<Charts.Line> lines = new ArrayList<>();
        for (Map.Entry<String, List<History>> variant : Variants.byVariant(finished).entrySet()) {
            double[] y = IntStream.rangeClosed(window, steps).mapToDouble(end -> variant.getValue().stream()
                    .mapToDouble(h -> meanScore(h, end - window, end)).average().orElseThrow()).toArray();
            lines.add(new Charts.Line(variant.getKey(), x, y, lines.size(), false));
        }
        return Charts.lines("Training loss (moving average of " + window + " steps, mean over seeds)", "step",
                "training loss", lines, true);
    }

    private static List<History> done(List<History> runs) {
        return runs == null ? List.of() : runs.stream().filter(h -> h.status() == Status.DONE).toList();
    }

    private static double meanScore(History history, int from, int to) {
        List<Double> scores = history.iterationScores();
        return scores.subList(Math.max(0, from), Math.min(scores.size(), to)).stream()
                .mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }
}
