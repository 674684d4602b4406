package bnlab.bench;

import bnlab.data.BatchIterator;
import bnlab.data.InputShape;
import bnlab.data.TrainTest;
import bnlab.cpu.CpuTuning;
import bnlab.train.GradientNormListener;
import bnlab.cpu.OneDnnBatchNormHelper;
import bnlab.ui.TrainingStats;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNBatchNormHelper;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.updater.MultiLayerUpdater;
import org.deeplearning4j.ui.model.storage.InMemoryStatsStorage;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Times training and inference of a network in this process: training as examples per second
 * over a fixed number of {@code fit} calls on real batches after a warm-up, inference as
 * examples per second of {@code output} over the test set in batches of 1000. Each figure is
 * measured {@code repeats} times; the variants of one model are interleaved, so that their
 * ratios hold even when the machine's speed drifts.
 */
public final class Benchmark {

    /** Examples trained per timed repeat; the warm-up trains as many. */
    public static final int EXAMPLES_PER_REPEAT = 6400;
    public static final int INFERENCE_BATCH_SIZE = 1000;

    /**
     * How ND4J runs: {@code TUNED} is bnlab's default ({@link CpuTuning}); {@code STOCK} is
     * DL4J's own (no layer helpers, one thread per core for ND4J and OpenBLAS). The others are
     * {@code TUNED} with a listener, so that its cost shows beside {@code TUNED}: {@code STATS}
     * reports to DL4J's dashboard as every bnlab run does ({@link TrainingStats}, into memory),
     * {@code GRADIENTS} records gradient norms as the deep experiment does. {@code HELPERLESS} is
     * {@code TUNED} without DL4J's oneDNN layer helpers, to show what they give each model, and
     * {@code DL4J_BN} is {@code TUNED} with DL4J's own oneDNN BN helper in place of bnlab's
     * {@link OneDnnBatchNormHelper}, {@code DL4J_UPDATER} with DL4J's own updater in place of
     * bnlab's {@code NetworkGradientUpdater}.
     */
    public enum Variant {
        TUNED, STOCK, STATS, GRADIENTS, HELPERLESS, DL4J_BN, DL4J_UPDATER;

        MultiLayerNetwork network(MultiLayerConfiguration configuration) {
            MultiLayerNetwork network = new MultiLayerNetwork(configuration.clone());
            network.init();
            switch (this) {
                case STATS -> network.setListeners(TrainingStats.listener(new InMemoryStatsStorage(), "bench"));
                case GRADIENTS -> network.setListeners(new GradientNormListener(GradientNormListener.SUGGESTED_FREQUENCY));
                default -> {
                }
            }
            return network;
        }

        void apply(MultiLayerNetwork network) {
            switch (this) {
                case STOCK -> {
                    int cores = Runtime.getRuntime().availableProcessors();
                    NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(cores);
                    Nd4j.factory().blas().setMaxThreads(cores);
                }
                case HELPERLESS -> CpuTuning.applyWithoutHelpers(network);
                case DL4J_BN -> CpuTuning.apply(network, () -> new MKLDNNBatchNormHelper(DataType.FLOAT));
                case DL4J_UPDATER -> {
                    CpuTuning.apply(network);
                    network.setUpdater(new MultiLayerUpdater(network, network.getUpdater().getStateViewArray()));
                }
                default -> CpuTuning.apply(network);
            }
        }

        @Override
        public String toString() {
            return name().toLowerCase();
        }
    }

    /** Median, minimum and maximum of repeated measurements. */
    public record Spread(double median, double min, double max) {
        static Spread of(double[] values) {
            double[] sorted = values.clone();
            Arrays.sort(sorted);
            int n = sorted.length;
            double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
            return new Spread(median, sorted[0], sorted[n - 1]);
        }

        /** "1107 [1087-1129]": the median, then the range, rounded to whole numbers. */
        public String rounded() {
            return String.format(Locale.ROOT, "%.0f [%.0f-%.0f]", median, min, max);
        }
    }

    /**
     * One model, batch size and variant.
     *
     * @param trainExamplesPerSecond training throughput
     * @param epochSeconds           seconds one epoch of 60,000 examples takes at the median throughput
     * @param inferExamplesPerSecond inference throughput, batches of 1000
     */
    public record Result(String model, int batchSize, Variant variant, Spread trainExamplesPerSecond,
                         double epochSeconds, Spread inferExamplesPerSecond) {
    }

    private Benchmark() {
    }

    /** Measures {@code configuration} at {@code batchSize} under each variant, interleaved. */
    public static List<Result> measure(String model, MultiLayerConfiguration configuration, int batchSize,
                                       List<Variant> variants, int repeats, TrainTest data) {
        InputShape shape = InputShape.of(configuration);
        List<MultiLayerNetwork> networks = new ArrayList<>();
        for (Variant variant : variants) {
            networks.add(variant.network(configuration));
        }
        List<DataSet> trainBatches = batches(data.train(), batchSize, shape, EXAMPLES_PER_REPEAT / batchSize);
        List<DataSet> testBatches = batches(data.test(), INFERENCE_BATCH_SIZE, shape, Integer.MAX_VALUE);
        double[][] train = new double[variants.size()][repeats];
        double[][] infer = new double[variants.size()][repeats];
        for (int v = 0; v < variants.size(); v++) {
            variants.get(v).apply(networks.get(v));
            fit(networks.get(v), trainBatches);
            infer(networks.get(v), testBatches);
        }
        for (int r = 0; r < repeats; r++) {
            for (int v = 0; v < variants.size(); v++) {
                variants.get(v).apply(networks.get(v));
                train[v][r] = fit(networks.get(v), trainBatches);
                infer[v][r] = infer(networks.get(v), testBatches);
            }
        }
        List<Result> results = new ArrayList<>();
        for (int v = 0; v < variants.size(); v++) {
            Spread trainSpread = Spread.of(train[v]);
            results.add(new Result(model, batchSize, variants.get(v), trainSpread,
                    60_000 / trainSpread.median(), Spread.of(infer[v])));
        }
        return results;
    }

    /**
     * Inference throughput of each network on the test set, in examples per second: one
     * warm-up pass each, then {@code repeats} passes with the networks interleaved. The
     * caller sets the networks up ({@link CpuTuning#apply}); all must take the same input shape.
     */
    public static List<Spread> inference(List<MultiLayerNetwork> networks, TrainTest data, int repeats) {
        InputShape shape = InputShape.of(networks.get(0).getLayerWiseConfigurations());
        List<DataSet> testBatches = batches(data.test(), INFERENCE_BATCH_SIZE, shape, Integer.MAX_VALUE);
        double[][] infer = new double[networks.size()][repeats];
        for (MultiLayerNetwork network : networks) {
            infer(network, testBatches);
        }
        for (int r = 0; r < repeats; r++) {
            for (int n = 0; n < networks.size(); n++) {
                infer[n][r] = infer(networks.get(n), testBatches);
            }
        }
        return Arrays.stream(infer).map(Spread::of).toList();
    }

    /** Trains on every batch once; returns examples per second. */
    private static double fit(MultiLayerNetwork network, List<DataSet> batches) {
        long examples = 0;
        long start = System.nanoTime();
        for (DataSet batch : batches) {
            network.fit(batch);
            examples += batch.numExamples();
        }
        return examples / ((System.nanoTime() - start) / 1e9);
    }

    /** Runs every batch through the network in inference mode; returns examples per second. */
    private static double infer(MultiLayerNetwork network, List<DataSet> batches) {
        long examples = 0;
        long start = System.nanoTime();
        for (DataSet batch : batches) {
            network.output(batch.getFeatures(), false);
            examples += batch.numExamples();
        }
        return examples / ((System.nanoTime() - start) / 1e9);
    }

    private static List<DataSet> batches(DataSet data, int batchSize, InputShape shape, int count) {
        BatchIterator iterator = BatchIterator.shuffled(data, batchSize, shape, 1);
        List<DataSet> batches = new ArrayList<>();
        while (iterator.hasNext() && batches.size() < count) {
            batches.add(iterator.next());
        }
        return batches;
    }
}
