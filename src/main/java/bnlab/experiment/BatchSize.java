package bnlab.experiment;

import bnlab.experiment.BatchSweep.Cell;
import bnlab.experiment.BatchSweep.Network;
import bnlab.experiment.BatchSweep.Variant;
import bnlab.BadInputException;
import bnlab.data.DataSettings;
import bnlab.data.KnownDataset;
import bnlab.data.TrainTest;
import bnlab.report.Charts;
import bnlab.report.RunFolder;
import bnlab.train.History;
import bnlab.train.RunName;
import bnlab.train.TrainingSettings;
import org.knowm.xchart.XYChart;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiFunction;

import static bnlab.experiment.BatchSweep.name;

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

    /**
     * Wu and He's range, from 2 to 64. Batches of 1 are left out, as Wu and He do: a dense BN then
     * normalizes each feature over one example and outputs its beta whatever the input (the
     * trainer warns when a batch of one reaches BN), and each CNN epoch would take about an hour.
     */
    static final BatchSweep FULL = new BatchSweep(List.of(Network.CNN, Network.MLP), List.of(2, 4, 8, 16, 32, 64));

    /** The two ends of the tutorial's claim: far below 8, and the tutorial's 32. */
    static final BatchSweep QUICK = new BatchSweep(List.of(Network.CNN, Network.MLP), List.of(2, 32));

    private final BatchSweep full;
    private final BatchSweep quick;

    public BatchSize() {
        this(FULL, QUICK);
    }

    BatchSize(BatchSweep full, BatchSweep quick) {
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
        BatchSweep sweep = sweep(settings);
        int effective = settings.batchSize();
        if (!sweep.batchSizes().contains(effective) || sweep.batchSizes().stream().anyMatch(b -> effective % b != 0)) {
            throw new BadInputException("batch-size: --batch-size " + effective + " sets the effective batch that BN "
                    + "with accumulation reaches; it must be one of the swept sizes " + sweep.batchSizes()
                    + " and a multiple of each");
        }
        List<Runner.Run> runs = new ArrayList<>();
        for (long seed : settings.seedList()) {
            sweep.cells(effective).forEach((name, cell) -> runs.add(new Runner.Run(RunName.of(name, seed),
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
        BatchSweep sweep = sweep(settings);
        TrainTest data = plan.data();
        Map<String, SeedStatistics> error = Variants.finalFigure(histories, r -> 100 * (1 - r.valAccuracy()));
        Map<String, Cell> cells = sweep.cells(settings.batchSize());
        BnStatistics bnStatistics = BnStatistics.of(histories, out, data, run -> cells.get(run.variant()).bn(),
                run -> cells.get(run.variant()).batchSize());
        ErrorByBatchSize page = new ErrorByBatchSize(sweep, error, Variants.diverged(histories), bnStatistics);
        List<XYChart> panels = new ArrayList<>();
        List<Verdict> verdicts = new ArrayList<>();
        StringBuilder markdown = new StringBuilder(String.format(Locale.ROOT, "Validation error (%%) after %d epoch(s) "
                        + "of %d training examples, mean ± sd over seeds; bn_accum accumulates micro-batches of the "
                        + "row's size into steps of %d examples. Every run sees the same examples; smaller batches "
                        + "take more steps.%n", settings.epochs(), data.train().numExamples(), settings.batchSize()));
        for (Network network : sweep.networks()) {
            markdown.append(String.format(Locale.ROOT, "%n## %s%n%n", network))
                    .append(page.table(network))
                    .append('\n')
                    .append(bnStatistics.table(histories.stream()
                            .filter(h -> cells.get(h.name().variant()).network() == network).toList()));
            panels.add(page.panel(network));
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
    private static List<Verdict> verdicts(Network network, BatchSweep sweep, int effective, Map<String, SeedStatistics> error) {
        int smallest = sweep.smallest();
        int reference = sweep.batchSizes().contains(32) ? 32 : effective;
        String bnSmall = name(network, Variant.BN, smallest);
        BiFunction<String, String, Comparison> lowerError = (better, worse) -> Comparison.of("validation error (%)",
                false, better, error.get(better), worse, error.get(worse));
        return List.of(
                new Verdict(network + ": BN weakens", lowerError.apply(name(network, Variant.BN, reference), bnSmall)),
                new Verdict(network + ": GN holds up", lowerError.apply(name(network, Variant.GN, smallest), bnSmall)),
                new Verdict(network + ": LN holds up", lowerError.apply(name(network, Variant.LN, smallest), bnSmall)),
                new Verdict(network + ": accumulation does not rescue BN", lowerError.apply(
                        name(network, Variant.BN, effective), name(network, Variant.BN_ACCUM, smallest))));
    }

    private BatchSweep sweep(ExperimentSettings settings) {
        return settings.quick() ? quick : full;
    }
}
