package bnlab.experiment;

import bnlab.BadInputException;
import bnlab.data.DataSettings;
import bnlab.data.KnownDataset;
import bnlab.data.TrainTest;
import bnlab.model.Cnn;
import bnlab.model.Mlp;
import bnlab.model.Normalization;
import bnlab.report.Charts;
import bnlab.report.MarkdownTable;
import bnlab.report.RunFolder;
import bnlab.train.History;
import bnlab.train.RunName;
import bnlab.train.TrainingSettings;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.knowm.xchart.XYChart;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * "Batch normalization weakens at small batch sizes: below about 8 examples its batch
 * statistics are too noisy. Layer and group normalization do not depend on the batch;
 * gradient accumulation does not help BN." Wu and He's (2018) Figure 1 on bnlab's networks:
 * validation error against batch size, with no normalization, BN, layer normalization, group
 * normalization, and BN whose micro-batches are accumulated into steps of the effective batch
 * {@code --batch-size} (64 by default).
 *
 * <p>Every run sees the same training examples, the same number of times (the epochs), so
 * smaller batches take more, noisier steps. The optimizer is the tutorial's Adam at 1e-3 at
 * every batch size; Wu and He scale SGD's learning rate with the batch instead. BN's running
 * statistics (decay 0.99) keep 0.99^n of their initial value after n updates, so with few
 * steps inference is off whatever the batch; the findings give each BN run's updates and its
 * accuracy once its statistics are recomputed from training data ({@link BnStatistics}).
 */
public final class BatchSize implements Experiment {

    /** Networks and batch sizes to sweep. */
    record Sweep(List<Network> networks, List<Integer> batchSizes) {

        Sweep {
            networks = List.copyOf(networks);
            batchSizes = List.copyOf(batchSizes);
        }

        int smallest() {
            return batchSizes.get(0);
        }
    }

    /** The tutorial's networks, with a normalization in place of BN. */
    enum Network {
        CNN, MLP;

        MultiLayerConfiguration configuration(Normalization normalization, long seed) {
            return switch (this) {
                case CNN -> Cnn.tutorial(seed).withNormalization(normalization).configuration();
                case MLP -> Mlp.tutorial(seed).withNormalization(normalization).configuration();
            };
        }

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** How a run normalizes, and whether it accumulates micro-batches into steps of the effective batch. */
    enum Variant {
        NONE(Normalization.NONE, false),
        BN(Normalization.BATCH, false),
        LN(Normalization.LAYER, false),
        GN(Normalization.GROUP, false),
        BN_ACCUM(Normalization.BATCH, true);

        final Normalization normalization;
        final boolean accumulated;

        Variant(Normalization normalization, boolean accumulated) {
            this.normalization = normalization;
            this.accumulated = accumulated;
        }

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * Wu and He's range, from 2 to 64. Batches of 1 are left out, as Wu and He do: a dense BN then
     * normalizes each feature over one example and outputs its beta whatever the input (the
     * trainer warns when a batch of one reaches BN), and each CNN epoch would take about an hour.
     */
    static final Sweep FULL = new Sweep(List.of(Network.CNN, Network.MLP), List.of(2, 4, 8, 16, 32, 64));

    /** The two ends of the tutorial's claim: far below 8, and the tutorial's 32. */
    static final Sweep QUICK = new Sweep(List.of(Network.CNN, Network.MLP), List.of(2, 32));

    private final Sweep full;
    private final Sweep quick;

    public BatchSize() {
        this(FULL, QUICK);
    }

    BatchSize(Sweep full, Sweep quick) {
        this.full = full;
        this.quick = quick;
    }

    @Override
    public String claim() {
        return "Batch normalization weakens at small batch sizes (below about 8); layer and group normalization, "
                + "which do not depend on the batch, hold up, and gradient accumulation does not rescue BN.";
    }

    /**
     * One epoch of the full training set: every run sees 60,000 examples, 938 steps at the
     * largest batch, enough for BN's running statistics (0.99^938 < 1e-4). 2 networks x 29
     * variant-batch pairs x 2 seeds = 116 runs. The CNN's epoch takes about 50 s at batch 32
     * on 2 cores and several minutes at batch 2, so the whole sweep takes about 6 hours of an
     * otherwise idle machine; the MLP's runs take under a minute each.
     */
    @Override
    public ExperimentSettings defaults() {
        return new ExperimentSettings(DataSettings.mnist(), 1, 64, 2, false);
    }

    /** 3000 examples, batches of 2 and 32, accumulated to 32: about a minute on an idle machine. */
    @Override
    public ExperimentSettings quick() {
        return new ExperimentSettings(new DataSettings(KnownDataset.MNIST, null, 3000), 1, 32, 1, true);
    }

    @Override
    public Plan plan(ExperimentSettings settings, TrainTest data) {
        Sweep sweep = sweep(settings);
        int effective = settings.batchSize();
        if (!sweep.batchSizes().contains(effective) || sweep.batchSizes().stream().anyMatch(b -> effective % b != 0)) {
            throw new BadInputException("batch-size: --batch-size " + effective + " sets the effective batch that BN "
                    + "with accumulation reaches; it must be one of the swept sizes " + sweep.batchSizes()
                    + " and a multiple of each");
        }
        List<Runner.Run> runs = new ArrayList<>();
        for (long seed : settings.seedList()) {
            cells(sweep, effective).forEach((name, cell) -> runs.add(new Runner.Run(RunName.of(name, seed),
                    cell.network().configuration(cell.variant().normalization, seed),
                    new TrainingSettings(settings.epochs(), cell.batchSize(), seed,
                            cell.variant().accumulated ? effective / cell.batchSize() : 1))));
        }
        return new Plan(settings, data, runs);
    }

    @Override
    public Findings findings(Plan plan, Results results, RunFolder out) {
        List<History> histories = results.histories();
        ExperimentSettings settings = plan.settings();
        Sweep sweep = sweep(settings);
        TrainTest data = plan.data();
        Map<String, SeedStatistics> error = Variants.finalFigure(histories, r -> 100 * (1 - r.valAccuracy()));
        Map<String, Long> diverged = Variants.diverged(histories);
        Map<String, Cell> cells = cells(sweep, settings.batchSize());
        BnStatistics bnStatistics = BnStatistics.of(histories, out, data, run -> cells.get(run.variant()).bn(),
                run -> cells.get(run.variant()).batchSize());
        List<XYChart> panels = new ArrayList<>();
        List<Verdict> verdicts = new ArrayList<>();
        StringBuilder markdown = new StringBuilder(String.format(Locale.ROOT, "Validation error (%%) after %d epoch(s) "
                        + "of %d training examples, mean ± sd over seeds; bn_accum accumulates micro-batches of the "
                        + "row's size into steps of %d examples. Every run sees the same examples; smaller batches "
                        + "take more steps.%n", settings.epochs(), data.train().numExamples(), settings.batchSize()));
        for (Network network : sweep.networks()) {
            markdown.append(String.format(Locale.ROOT, "%n## %s%n%n", network))
                    .append(errorTable(network, sweep, error, diverged))
                    .append('\n')
                    .append(bnStatistics.table(histories.stream()
                            .filter(h -> cells.get(h.name().variant()).network() == network).toList()));
            panels.add(panel(network, sweep, error, bnStatistics));
            verdicts.addAll(verdicts(network, sweep, settings.batchSize(), error));
        }
        out.writePng("batch-size.png", Charts.sideBySide(panels.toArray(XYChart[]::new)));
        markdown.append("\n![validation error against batch size](batch-size.png)\n\n").append(WHY_ACCUMULATION);
        return new Findings(verdicts, markdown.toString());
    }

    static final String WHY_ACCUMULATION = """
            Why accumulation does not rescue BN: accumulation sums the gradients of k micro-batches \
            and takes one step, so the step is that of a k-times larger batch; but each micro-batch's \
            forward pass still normalizes with that micro-batch's own mean and variance, as noisy as \
            those of its few examples, and the gradients summed are gradients through those noisy \
            normalizations. BN's running statistics are updated from each micro-batch too. For a \
            network without BN the accumulated step equals the large batch's step exactly (bnlab's \
            tests check this to 1e-10); with BN it cannot.
            """;

    /** The claim's comparisons on one network: BN at the smallest batch against BN at 32, LN and GN there, and accumulation. */
    private static List<Verdict> verdicts(Network network, Sweep sweep, int effective, Map<String, SeedStatistics> error) {
        int smallest = sweep.smallest();
        int reference = sweep.batchSizes().contains(32) ? 32 : effective;
        String bnSmall = variant(network, Variant.BN, smallest);
        BiFunction<String, String, Comparison> lowerError = (better, worse) -> Comparison.of("validation error (%)",
                false, better, error.get(better), worse, error.get(worse));
        return List.of(
                new Verdict(network + ": BN weakens", lowerError.apply(variant(network, Variant.BN, reference), bnSmall)),
                new Verdict(network + ": GN holds up", lowerError.apply(variant(network, Variant.GN, smallest), bnSmall)),
                new Verdict(network + ": LN holds up", lowerError.apply(variant(network, Variant.LN, smallest), bnSmall)),
                new Verdict(network + ": accumulation does not rescue BN", lowerError.apply(
                        variant(network, Variant.BN, effective), variant(network, Variant.BN_ACCUM, smallest))));
    }

    private static String errorTable(Network network, Sweep sweep, Map<String, SeedStatistics> error,
                                     Map<String, Long> diverged) {
        List<Object> headers = new ArrayList<>(List.of("batch size"));
        headers.addAll(List.of(Variant.values()));
        MarkdownTable table = MarkdownTable.of(headers);
        for (int batchSize : sweep.batchSizes()) {
            List<Object> cells = new ArrayList<>(List.of(batchSize));
            for (Variant variant : Variant.values()) {
                String name = variant(network, variant, batchSize);
                SeedStatistics cell = error.get(name);
                cells.add(cell == null ? "(same as bn)"
                        : Variants.withDiverged(cell, diverged.getOrDefault(name, 0L), "%.2f"));
            }
            table.row(cells);
        }
        return table.toString();
    }

    /** Validation error against batch size, one line per variant, and BN with recomputed statistics. */
    private static XYChart panel(Network network, Sweep sweep, Map<String, SeedStatistics> error,
                                 BnStatistics bnStatistics) {
        List<Charts.SweepLine> lines = new ArrayList<>();
        for (Variant variant : Variant.values()) {
            lines.add(line(variant.toString(), variant.ordinal(), sweep, b -> error.get(variant(network, variant, b))));
        }
        lines.add(line("bn, statistics recomputed", Variant.values().length, sweep,
                b -> bnStatistics.recomputedError(variant(network, Variant.BN, b))));
        XYChart chart = Charts.sweep(network + ": validation error after the same examples (mean ± sd over seeds)",
                "batch size (log scale)", "validation error (%, log scale)", lines, List.of());
        // Errors range from about 1% to chance (90%): only a log scale shows both ends.
        chart.getStyler().setYAxisLogarithmic(true);
        return chart;
    }

    private static Charts.SweepLine line(String name, int color, Sweep sweep,
                                         java.util.function.IntFunction<SeedStatistics> figure) {
        List<Integer> sizes = sweep.batchSizes().stream()
                .filter(b -> figure.apply(b) != null && figure.apply(b).runs() > 0).toList();
        return new Charts.SweepLine(name, sizes.stream().mapToDouble(Integer::doubleValue).toArray(),
                sizes.stream().mapToDouble(b -> figure.apply(b).mean()).toArray(),
                sizes.stream().mapToDouble(b -> figure.apply(b).sd()).toArray(), color);
    }

    /** "cnn-bn_accum-b8". */
    static String variant(Network network, Variant variant, int batchSize) {
        return network + "-" + variant + "-b" + batchSize;
    }

    /** One point of the sweep: a network normalized one way, trained on batches of one size. */
    record Cell(Network network, Variant variant, int batchSize) {

        boolean bn() {
            return variant.normalization == Normalization.BATCH;
        }
    }

    /**
     * The sweep's points by variant name, network by network, batch size by batch size:
     * every variant at every batch size, but accumulation only where it has micro-batches to
     * accumulate (below the {@code effective} batch).
     */
    static Map<String, Cell> cells(Sweep sweep, int effective) {
        Map<String, Cell> cells = new LinkedHashMap<>();
        for (Network network : sweep.networks()) {
            for (int batchSize : sweep.batchSizes()) {
                for (Variant variant : Variant.values()) {
                    if (!(variant.accumulated && batchSize == effective)) {
                        cells.put(variant(network, variant, batchSize), new Cell(network, variant, batchSize));
                    }
                }
            }
        }
        return cells;
    }

    private Sweep sweep(ExperimentSettings settings) {
        return settings.quick() ? quick : full;
    }
}
