package bnlab.experiment;

import bnlab.data.BatchIterator;
import bnlab.data.InputShape;
import bnlab.data.TrainTest;
import bnlab.infer.PreciseBn;
import bnlab.model.ModelFiles;
import bnlab.report.MarkdownTable;
import bnlab.report.RunFolder;
import bnlab.train.History;
import bnlab.train.RunName;
import bnlab.train.Status;
import bnlab.train.Validation;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;
import java.util.function.ToIntFunction;

/**
 * How sound the inference of trained BN networks is. BN infers with running averages of the
 * batch statistics (decay d), which keep d^n of their initial mean 0 and variance 1 after n
 * updates: with few updates inference normalizes with the wrong statistics whatever the batch
 * size. Recomputing the statistics exactly from training data ({@link PreciseBn}) separates
 * that from what training on noisy batch statistics did to the weights.
 *
 * @param rows one per BN run that finished, in the order of the runs
 */
record BnStatistics(List<Row> rows) {

    /** Training examples whose statistics replace the running averages: the mean to about 1% of a standard deviation. */
    static final int RECOMPUTE_BATCHES = 50;
    static final int RECOMPUTE_BATCH_SIZE = 200;

    /**
     * One trained BN network.
     *
     * @param updates         running-statistics updates in training (one per batch or micro-batch)
     * @param remaining       the weight the initial statistics keep: decay^updates
     * @param errorAsTrained  validation error (%) with the running statistics
     * @param errorRecomputed validation error (%) with the statistics recomputed
     * @param examples        training examples the statistics were recomputed from
     * @param meanShift       |running mean - recomputed mean| / recomputed sigma, averaged over every BN feature
     * @param sigmaRatio      running sigma / recomputed sigma, averaged over every BN feature
     */
    record Row(RunName run, long updates, double remaining, double errorAsTrained, double errorRecomputed,
               long examples, double meanShift, double sigmaRatio) {
    }

    /**
     * Measures every run that {@code isBn} names, from the network the Runner saved in {@code out}.
     *
     * @param batchSizeOf the size of the batches (or micro-batches) a run trained on, by its name
     */
    static BnStatistics of(List<History> histories, RunFolder out, TrainTest data, Predicate<RunName> isBn,
                           ToIntFunction<RunName> batchSizeOf) {
        List<Row> rows = new ArrayList<>();
        for (History history : histories) {
            if (history.status() != Status.DONE || !isBn.test(history.name())) {
                continue;
            }
            MultiLayerNetwork network = ModelFiles.load(out.resolve("models/" + history.model() + ".zip"));
            InputShape shape = InputShape.of(network.getLayerWiseConfigurations());
            double decay = PreciseBn.layersOf(network).get(0).layerConf().getDecay();
            int batchSize = batchSizeOf.applyAsInt(history.name());
            long updates = history.epochs().size() * ((data.train().numExamples() + batchSize - 1L) / batchSize);
            PreciseBn.Result recomputed = PreciseBn.recompute(network,
                    BatchIterator.shuffled(data.train(), RECOMPUTE_BATCH_SIZE, shape, 0), RECOMPUTE_BATCHES);
            double accuracy = Validation.of(network, BatchIterator.inOrder(data.test(), 1000, shape)).accuracy();
            rows.add(new Row(history.name(), updates, Math.pow(decay, updates), 100 * (1 - history.last().valAccuracy()),
                    100 * (1 - accuracy), recomputed.examples(),
                    averageOverFeatures(recomputed, PreciseBn.LayerChange::meanMeanShift),
                    averageOverFeatures(recomputed, PreciseBn.LayerChange::meanSigmaRatio)));
        }
        return new BnStatistics(rows);
    }

    private static double averageOverFeatures(PreciseBn.Result result, ToDoubleFunction<PreciseBn.LayerChange> figure) {
        double sum = result.layers().stream().mapToDouble(layer -> layer.features() * figure.applyAsDouble(layer)).sum();
        return sum / result.layers().stream().mapToLong(PreciseBn.LayerChange::features).sum();
    }

    /** {@code figure} of {@code variant}'s seeds, or null if it has no BN runs. */
    SeedStatistics figure(String variant, ToDoubleFunction<Row> figure) {
        double[] values = rows.stream().filter(r -> r.run().variant().equals(variant)).mapToDouble(figure).toArray();
        return values.length == 0 ? null : SeedStatistics.of(values);
    }

    /** The validation error (%) of {@code variant}'s seeds with recomputed statistics, or null if it has no BN runs. */
    SeedStatistics recomputedError(String variant) {
        return figure(variant, Row::errorRecomputed);
    }

    /** A Markdown table of the BN runs among {@code histories}, one line per variant, mean ± sd over its seeds. */
    String table(List<History> histories) {
        Map<String, List<Row>> byVariant = new LinkedHashMap<>();
        for (History history : histories) {
            rows.stream().filter(r -> r.run().equals(history.name())).forEach(r ->
                    byVariant.computeIfAbsent(r.run().variant(), v -> new ArrayList<>()).add(r));
        }
        if (byVariant.isEmpty()) {
            return "";
        }
        MarkdownTable table = MarkdownTable.of("variant", "statistics updates", "initial weight left",
                "error, running statistics", "error, recomputed statistics", "running sigma / recomputed",
                "running mean's shift / sigma");
        byVariant.forEach((variant, runs) -> table.row(variant, runs.get(0).updates(),
                String.format(Locale.ROOT, "%.2g", runs.get(0).remaining()),
                SeedStatistics.of(runs.stream().mapToDouble(Row::errorAsTrained).toArray()).format("%.2f"),
                SeedStatistics.of(runs.stream().mapToDouble(Row::errorRecomputed).toArray()).format("%.2f"),
                SeedStatistics.of(runs.stream().mapToDouble(Row::sigmaRatio).toArray()).format("%.3f"),
                SeedStatistics.of(runs.stream().mapToDouble(Row::meanShift).toArray()).format("%.3f")));
        return String.format(Locale.ROOT, "BN's inference: validation error (%%) with the running statistics training "
                + "left, and with the statistics recomputed from %d training examples (precise BN); how far the "
                + "running statistics were from the recomputed ones, averaged over every BN feature (sigma = "
                + "sqrt(variance + eps)). The running statistics keep decay^updates of their initial values.%n%n",
                rows.get(0).examples())
                + table;
    }
}
