package bnlab.experiment;

import bnlab.report.Charts;
import bnlab.report.MarkdownTable;
import bnlab.train.EpochRecord;
import bnlab.train.History;
import bnlab.train.RunName;
import bnlab.train.Status;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.knowm.xchart.XYChart;

import java.awt.image.BufferedImage;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BinaryOperator;
import java.util.function.Function;
import java.util.function.LongFunction;
import java.util.function.ToDoubleFunction;
import java.util.stream.IntStream;

/**
 * The runs of an experiment are variants, each repeated over seeds: run "bn_before-s2" is
 * variant "bn_before" with seed 2 ({@link RunName}). These helpers make the runs and group
 * results back by variant.
 */
public final class Variants {

    private Variants() {
    }

    /**
     * Each variant's run with every seed, seed after seed and the variants in their map's order:
     * {@code variants} gives each variant's network for a seed.
     */
    public static List<Runner.Run> runs(ExperimentSettings settings,
                                        Map<String, LongFunction<MultiLayerConfiguration>> variants) {
        List<Runner.Run> runs = new ArrayList<>();
        for (long seed : settings.seedList()) {
            variants.forEach((variant, network) -> runs.add(new Runner.Run(RunName.of(variant, seed), network.apply(seed),
                    settings.training(seed))));
        }
        return runs;
    }

    /** A number as variant names show it: "0.0001" and "30" rather than "1.0E-4" and "30.0". */
    public static String number(double value) {
        return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }

    /** Each variant's histories, in the order the variants first appear. */
    public static Map<String, List<History>> byVariant(List<History> histories) {
        Map<String, List<History>> grouped = new LinkedHashMap<>();
        for (History history : histories) {
            grouped.computeIfAbsent(history.name().variant(), v -> new ArrayList<>()).add(history);
        }
        return grouped;
    }

    /** A figure of each variant's last epoch over its seeds; runs that diverged are left out (count them with {@link #diverged}). */
    public static Map<String, SeedStatistics> finalFigure(List<History> histories, ToDoubleFunction<EpochRecord> figure) {
        return figureOf(histories, figure, History::last);
    }

    /** A figure after epoch {@code epoch} (1 for the first) of each variant, over its seeds that finished. */
    public static Map<String, SeedStatistics> figureAfterEpoch(List<History> histories, int epoch,
                                                               ToDoubleFunction<EpochRecord> figure) {
        return figureOf(histories, figure, h -> h.epochs().get(epoch - 1));
    }

    private static Map<String, SeedStatistics> figureOf(List<History> histories, ToDoubleFunction<EpochRecord> figure,
                                                        Function<History, EpochRecord> epoch) {
        Map<String, SeedStatistics> statistics = new LinkedHashMap<>();
        byVariant(histories).forEach((variant, runs) -> statistics.put(variant, SeedStatistics.of(runs.stream()
                .filter(h -> h.status() == Status.DONE)
                .mapToDouble(h -> figure.applyAsDouble(epoch.apply(h)))
                .toArray())));
        return statistics;
    }

    /** How many of each variant's runs diverged. */
    public static Map<String, Long> diverged(List<History> histories) {
        Map<String, Long> counts = new LinkedHashMap<>();
        byVariant(histories).forEach((variant, runs) ->
                counts.put(variant, runs.stream().filter(h -> h.status() == Status.DIVERGED).count()));
        return counts;
    }

    /**
     * Each variant's final figures as a Markdown table: validation and training accuracy and
     * validation loss (mean ± sd over the seeds that finished), and how many seeds diverged.
     */
    public static String table(List<History> histories) {
        Map<String, SeedStatistics> valAccuracy = finalFigure(histories, EpochRecord::valAccuracy);
        Map<String, SeedStatistics> trainAccuracy = finalFigure(histories, EpochRecord::trainAccuracy);
        Map<String, SeedStatistics> valLoss = finalFigure(histories, EpochRecord::valLoss);
        Map<String, Long> diverged = diverged(histories);
        MarkdownTable table = MarkdownTable.of("variant", "validation accuracy", "training accuracy", "validation loss",
                "diverged");
        for (String variant : valAccuracy.keySet()) {
            table.row(variant, valAccuracy.get(variant).format("%.4f"), trainAccuracy.get(variant).format("%.4f"),
                    valLoss.get(variant).format("%.4f"),
                    diverged.get(variant) + " of " + byVariant(histories).get(variant).size());
        }
        return table.toString();
    }

    /**
     * Final validation accuracy of variants laid out as a Markdown grid, e.g. learning rate by
     * model: each cell gives the mean ± sd over the seeds that finished and how many diverged.
     *
     * @param variant the variant of a row and a column
     */
    public static String accuracyGrid(List<History> histories, String rowHeading, List<String> rows,
                                      List<String> columns, BinaryOperator<String> variant) {
        Map<String, SeedStatistics> accuracy = finalFigure(histories, EpochRecord::valAccuracy);
        Map<String, Long> diverged = diverged(histories);
        List<String> headers = new ArrayList<>(List.of(rowHeading));
        headers.addAll(columns);
        MarkdownTable grid = MarkdownTable.of(headers);
        for (String row : rows) {
            List<String> cells = new ArrayList<>(List.of(row));
            for (String column : columns) {
                String name = variant.apply(row, column);
                cells.add(withDiverged(accuracy.get(name), diverged.get(name), "%.4f"));
            }
            grid.row(cells);
        }
        return grid.toString();
    }

    /** "0.9791 ± 0.0009 (n=3)", with how many runs diverged if any did, or "all 3 diverged". */
    static String withDiverged(SeedStatistics finished, long diverged, String numberFormat) {
        return finished.runs() == 0 ? "all " + diverged + " diverged"
                : finished.format(numberFormat) + (diverged == 0 ? "" : ", " + diverged + " diverged");
    }

    /**
     * The verdict on a claim that variant {@code better} ends with a higher validation accuracy
     * than {@code worse}, from {@code accuracy} (each variant's final validation accuracy over
     * its seeds, {@link #finalFigure}).
     */
    public static Verdict higherFinalAccuracy(String claim, Map<String, SeedStatistics> accuracy, String better,
                                              String worse) {
        return new Verdict(claim, Comparison.of("final validation accuracy", true, better, accuracy.get(better), worse,
                accuracy.get(worse)));
    }

    /** Each variant's validation accuracy (left) and loss (right) per epoch, averaged over its seeds. */
    public static BufferedImage validationCurves(List<History> histories) {
        return Charts.sideBySide(meanCurves("Validation accuracy", histories, EpochRecord::valAccuracy),
                meanCurves("Validation loss", histories, EpochRecord::valLoss));
    }

    /** A panel of each variant's figure per epoch, averaged over its seeds. */
    public static XYChart meanCurves(String title, List<History> histories, ToDoubleFunction<EpochRecord> figure) {
        List<Charts.Line> lines = new ArrayList<>();
        int color = 0;
        for (Map.Entry<String, double[]> curve : meanCurve(histories, figure).entrySet()) {
            double[] epochs = IntStream.rangeClosed(1, curve.getValue().length).asDoubleStream().toArray();
            lines.add(new Charts.Line(curve.getKey(), epochs, curve.getValue(), color++, false));
        }
        return Charts.lines(title + " (mean over seeds)", "epoch", title.toLowerCase(), lines, false);
    }

    /** A figure per epoch of each variant, averaged over its runs that finished. */
    public static Map<String, double[]> meanCurve(List<History> histories, ToDoubleFunction<EpochRecord> figure) {
        Map<String, double[]> curves = new LinkedHashMap<>();
        byVariant(histories).forEach((variant, runs) -> {
            List<History> done = runs.stream().filter(h -> h.status() == Status.DONE).toList();
            if (done.isEmpty()) {
                return;
            }
            int epochs = done.stream().mapToInt(h -> h.epochs().size()).min().orElseThrow();
            double[] curve = new double[epochs];
            for (int e = 0; e < epochs; e++) {
                int epoch = e;
                curve[e] = done.stream().mapToDouble(h -> figure.applyAsDouble(h.epochs().get(epoch))).average().orElseThrow();
            }
            curves.put(variant, curve);
        });
        return curves;
    }
}
