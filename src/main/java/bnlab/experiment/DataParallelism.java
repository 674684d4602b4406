package bnlab.experiment;

import bnlab.data.DataSettings;
import bnlab.data.KnownDataset;
import bnlab.data.TrainTest;
import bnlab.model.Cnn;
import bnlab.model.Mlp;
import bnlab.model.Normalization;
import bnlab.report.Charts;
import bnlab.report.MarkdownTable;
import bnlab.report.RunFolder;
import bnlab.train.EpochRecord;
import bnlab.train.History;
import bnlab.train.RunName;
import bnlab.train.Status;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.knowm.xchart.XYChart;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntFunction;
import java.util.function.LongFunction;

/**
 * Not the tutorial's claim but the question it leaves open once training leaves one machine:
 * in data-parallel training each worker normalizes over its own share of the batch, and DL4J's
 * parameter averaging merges the workers' running statistics by averaging them (the mean, and
 * log10 of the standard deviation, so the spread is a geometric mean and the spread between
 * the workers' means is lost). The tutorial's MLP, and in the full version its CNN, with and
 * without BN, train with one global batch split over 1, 2, 4 and 8 workers, so that BN sees
 * fewer examples per worker while every run sees the same examples and takes the same number
 * of steps. One worker trains here, as on one machine: averaging a single copy changes nothing.
 * The networks without BN are the control: what they lose comes from averaging itself.
 */
public final class DataParallelism implements Experiment {

    @Override
    public String claim() {
        return "Batch normalization suffers when data-parallel workers split each batch: each worker normalizes "
                + "over its share of the batch, and averaging merges their running statistics.";
    }

    /**
     * Three epochs of batches of 256, five seeds: 702 steps, after which the running statistics
     * keep 0.99^702 < 0.001 of their start.
     */
    @Override
    public ExperimentSettings defaults() {
        return new ExperimentSettings(DataSettings.mnist(), 3, 256, 5, false);
    }

    /** The MLPs alone on 8000 examples, over 1 and 4 workers: 250 steps of batches of 64. */
    @Override
    public ExperimentSettings quick() {
        return new ExperimentSettings(new DataSettings(KnownDataset.MNIST, null, 8000), 2, 64, 2, true);
    }

    @Override
    public boolean trainsAcrossWorkers() {
        return true;
    }

    /** The worker counts swept; the first is one machine. */
    static List<Integer> workers(ExperimentSettings settings) {
        return settings.quick() ? List.of(1, 4) : List.of(1, 2, 4, 8);
    }

    /** The networks, each followed by its BN version. */
    static Map<String, LongFunction<MultiLayerConfiguration>> networks(ExperimentSettings settings) {
        Map<String, LongFunction<MultiLayerConfiguration>> networks = new LinkedHashMap<>();
        networks.put("mlp", seed -> Mlp.tutorial(seed).configuration());
        networks.put("mlp_bn", seed -> Mlp.tutorial(seed).withNormalization(Normalization.BATCH).configuration());
        if (!settings.quick()) {
            networks.put("cnn", seed -> Cnn.tutorial(seed).configuration());
            networks.put("cnn_bn", seed -> Cnn.tutorial(seed).withNormalization(Normalization.BATCH).configuration());
        }
        return networks;
    }

    static String variant(String network, int workers) {
        return network + "_w" + workers;
    }

    @Override
    public Plan plan(ExperimentSettings settings, TrainTest data) {
        // Network by network, so that an interrupted full run has finished the MLPs before the CNNs start.
        List<Runner.Run> runs = new ArrayList<>();
        networks(settings).forEach((network, configuration) -> {
            for (long seed : settings.seedList()) {
                for (int workers : workers(settings)) {
                    runs.add(new Runner.Run(RunName.of(variant(network, workers), seed), configuration.apply(seed),
                            settings.training(seed)).acrossWorkers(workers));
                }
            }
        });
        return new Plan(settings, data, runs);
    }

    @Override
    public Findings findings(Plan plan, Results results, RunFolder out) {
        ExperimentSettings settings = plan.settings();
        List<History> histories = results.histories();
        BnStatistics statistics = BnStatistics.of(histories, out, plan.data(), run -> run.variant().contains("_bn_"),
                run -> settings.batchSize());
        Map<String, SeedStatistics> accuracy = Variants.finalFigure(histories, EpochRecord::valAccuracy);
        Map<String, SeedStatistics> error = Variants.finalFigure(histories, r -> 100 * (1 - r.valAccuracy()));
        List<Integer> workers = workers(settings);
        int most = workers.get(workers.size() - 1);
        List<Verdict> verdicts = new ArrayList<>();
        List<XYChart> panels = new ArrayList<>();
        StringBuilder markdown = new StringBuilder();
        for (String network : networks(settings).keySet()) {
            if (!network.endsWith("_bn")) {
                continue;
            }
            String control = network.substring(0, network.length() - "_bn".length());
            String one = variant(network, 1);
            String split = variant(network, most);
            verdicts.add(new Verdict(network + " over " + most + " workers ends less accurate than on one machine",
                    String.format(Locale.ROOT, "without BN: %s %s, %s %s", variant(control, 1),
                            formatted(accuracy.get(variant(control, 1)), "%.4f"), variant(control, most),
                            formatted(accuracy.get(variant(control, most)), "%.4f")),
                    Comparison.of("final validation accuracy", true, one, accuracy.get(one), split, accuracy.get(split))));
            verdicts.add(new Verdict(network + " loses more to " + most + " workers than " + control + " without BN",
                    Comparison.of("validation accuracy lost from 1 to " + most + " workers, seed by seed", false,
                            control, loss(histories, control, most), network, loss(histories, network, most))));
            verdicts.add(new Verdict("over " + most + " workers " + network + "'s merged running statistics lie "
                    + "further from the training set's than on one machine",
                    Comparison.of("running sigma's relative distance from the training set's sigma, averaged over BN's features", false, one,
                            statistics.figure(one, row -> Math.abs(row.sigmaRatio() - 1)), split,
                            statistics.figure(split, row -> Math.abs(row.sigmaRatio() - 1)))));
            verdicts.add(new Verdict("recomputing " + network + "'s statistics after training over " + most
                    + " workers (precise BN) raises its accuracy",
                    String.format(Locale.ROOT, "on one machine: %s %s with its running statistics, %s recomputed", one,
                            formatted(statistics.figure(one, BnStatistics.Row::errorAsTrained), "%.2f"),
                            formatted(statistics.figure(one, BnStatistics.Row::errorRecomputed), "%.2f")),
                    Comparison.of("final validation error (%)", false, split + ", recomputed",
                            statistics.figure(split, BnStatistics.Row::errorRecomputed), split + ", running",
                            statistics.figure(split, BnStatistics.Row::errorAsTrained))));
            markdown.append(String.format(Locale.ROOT, "%n### %s%n%n", network)).append(table(network, control,
                    workers, error, statistics));
            panels.add(panel(network, control, workers, error, statistics));
        }
        Charts.sameYRange(panels.toArray(XYChart[]::new));
        out.writePng("data-parallel.png", Charts.sideBySide(panels.toArray(XYChart[]::new)));
        return new Findings(verdicts, String.format(Locale.ROOT, "Global batch of %d, split evenly over the workers: "
                + "each trains on batches of %d / workers and DL4J averages the copies' parameters, updater state and "
                + "running statistics every 5 of its batches. Accuracy and the accuracy lost are those of the "
                + "network as training left it, with its running statistics: what data-parallel training gives a "
                + "user; the other two verdicts tell the statistics apart from what training did to the weights.%n",
                settings.batchSize(), settings.batchSize())
                + markdown + "\n![data-parallel](data-parallel.png)\n\n" + Variants.table(histories) + "\n"
                + statistics.table(histories));
    }

    /** Per seed: the variant's validation accuracy on one machine minus over {@code workers} workers. */
    private static SeedStatistics loss(List<History> histories, String network, int workers) {
        Map<Long, Double> one = finalAccuracyBySeed(histories, variant(network, 1));
        Map<Long, Double> split = finalAccuracyBySeed(histories, variant(network, workers));
        return SeedStatistics.of(one.keySet().stream().filter(split::containsKey)
                .mapToDouble(seed -> one.get(seed) - split.get(seed)).toArray());
    }

    private static Map<Long, Double> finalAccuracyBySeed(List<History> histories, String variant) {
        Map<Long, Double> bySeed = new LinkedHashMap<>();
        histories.stream().filter(h -> h.name().variant().equals(variant) && h.status() == Status.DONE)
                .forEach(h -> bySeed.put(h.name().seed(), h.last().valAccuracy()));
        return bySeed;
    }

    /** Validation error by workers: the network without BN, with BN, and with BN's statistics recomputed. */
    private static String table(String network, String control, List<Integer> workers,
                                Map<String, SeedStatistics> error, BnStatistics statistics) {
        MarkdownTable table = MarkdownTable.of("workers", "examples per worker and batch", control + ": error (%)",
                network + ": error (%)", network + ", recomputed: error (%)", "running sigma / training set's");
        for (int w : workers) {
            table.row(w, "1/" + w + " of the batch", formatted(error.get(variant(control, w)), "%.2f"),
                    formatted(error.get(variant(network, w)), "%.2f"),
                    formatted(statistics.figure(variant(network, w), BnStatistics.Row::errorRecomputed), "%.2f"),
                    formatted(statistics.figure(variant(network, w), BnStatistics.Row::sigmaRatio), "%.3f"));
        }
        return table.toString();
    }

    private static String formatted(SeedStatistics figure, String numberFormat) {
        return figure == null || figure.runs() == 0 ? "(no run)" : figure.format(numberFormat);
    }

    private static XYChart panel(String network, String control, List<Integer> workers,
                                 Map<String, SeedStatistics> error, BnStatistics statistics) {
        List<Charts.SweepLine> lines = List.of(
                line(control, 0, workers, w -> error.get(variant(control, w))),
                line(network, 1, workers, w -> error.get(variant(network, w))),
                line(network + ", statistics recomputed", 2, workers,
                        w -> statistics.figure(variant(network, w), BnStatistics.Row::errorRecomputed)));
        XYChart chart = Charts.sweep(network + ": validation error by workers (mean ± sd over seeds)",
                "workers sharing each batch (log scale)", "validation error (%)", lines, List.of());
        // 1 to 8 workers lie within one decade, whose ticks alone would leave the axis unlabelled.
        chart.getStyler().setXAxisLogarithmicDecadeOnly(false);
        return chart;
    }

    private static Charts.SweepLine line(String name, int color, List<Integer> workers,
                                         IntFunction<SeedStatistics> figure) {
        List<Integer> present = workers.stream()
                .filter(w -> figure.apply(w) != null && figure.apply(w).runs() > 0).toList();
        return new Charts.SweepLine(name, present.stream().mapToDouble(Integer::doubleValue).toArray(),
                present.stream().mapToDouble(w -> figure.apply(w).mean()).toArray(),
                present.stream().mapToDouble(w -> figure.apply(w).sd()).toArray(), color);
    }
}
