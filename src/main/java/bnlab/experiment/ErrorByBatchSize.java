package bnlab.experiment;

import bnlab.experiment.BatchSweep.Network;
import bnlab.experiment.BatchSweep.Variant;
import bnlab.report.Charts;
import bnlab.report.MarkdownTable;
import org.knowm.xchart.XYChart;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

import static bnlab.experiment.BatchSweep.name;

/**
 * The batch-size experiment's page share of its figures: per network, validation error by
 * batch size and variant as a table and a chart.
 *
 * @param sweep        the points swept
 * @param error        validation error (%) over seeds, by variant name
 * @param diverged     how many seeds diverged, by variant name
 * @param bnStatistics BN's running and recomputed statistics' figures
 */
record ErrorByBatchSize(BatchSweep sweep, Map<String, SeedStatistics> error, Map<String, Long> diverged,
                        BnStatistics bnStatistics) {

    /** A row per batch size, a column per variant. */
    String table(Network network) {
        List<Object> headers = new ArrayList<>(List.of("batch size"));
        headers.addAll(List.of(Variant.values()));
        MarkdownTable table = MarkdownTable.of(headers);
        for (int batchSize : sweep.batchSizes()) {
            List<Object> cells = new ArrayList<>(List.of(batchSize));
            for (Variant variant : Variant.values()) {
                String name = name(network, variant, batchSize);
                SeedStatistics cell = error.get(name);
                cells.add(cell == null ? "(same as bn)"
                        : Variants.withDiverged(cell, diverged.getOrDefault(name, 0L), "%.2f"));
            }
            table.row(cells);
        }
        return table.toString();
    }

    /** Validation error against batch size, one line per variant, and BN with recomputed statistics. */
    XYChart panel(Network network) {
        List<Charts.SweepLine> lines = new ArrayList<>();
        for (Variant variant : Variant.values()) {
            lines.add(line(variant.toString(), variant.ordinal(), b -> error.get(name(network, variant, b))));
        }
        lines.add(line("bn, statistics recomputed", Variant.values().length,
                b -> bnStatistics.recomputedError(name(network, Variant.BN, b))));
        XYChart chart = Charts.sweep(network + ": validation error after the same examples (mean ± sd over seeds)",
                "batch size (log scale)", "validation error (%, log scale)", lines, List.of());
        // Errors range from about 1% to chance (90%): only a log scale shows both ends.
        chart.getStyler().setYAxisLogarithmic(true);
        return chart;
    }

    private Charts.SweepLine line(String name, int color, IntFunction<SeedStatistics> figure) {
        List<Integer> sizes = sweep.batchSizes().stream()
                .filter(b -> figure.apply(b) != null && figure.apply(b).runs() > 0).toList();
        return new Charts.SweepLine(name, sizes.stream().mapToDouble(Integer::doubleValue).toArray(),
                sizes.stream().mapToDouble(b -> figure.apply(b).mean()).toArray(),
                sizes.stream().mapToDouble(b -> figure.apply(b).sd()).toArray(), color);
    }
}
