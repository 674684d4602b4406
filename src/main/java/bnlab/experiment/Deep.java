package bnlab.experiment;

import bnlab.data.DataSettings;
import bnlab.data.KnownDataset;
import bnlab.data.TrainTest;
import bnlab.model.Mlp;
import bnlab.model.Normalization;
import bnlab.report.Charts;
import bnlab.report.MarkdownTable;
import bnlab.report.RunFolder;
import bnlab.train.ActivationDistributionListener;
import bnlab.train.EpochRecord;
import bnlab.train.GradientNormListener;
import bnlab.train.History;
import bnlab.train.RunName;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.XYChart;
import org.nd4j.linalg.activations.Activation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * "Batch normalization helps deep networks." The tutorial's MLP (Adam 1e-3, Glorot-uniform
 * weights) made deep: 10 and 20 hidden layers of 100 units, sigmoid or relu, each with and
 * without BN before every activation. A {@link GradientNormListener} records the gradient norm
 * of every hidden layer's weights as they train, to show whether gradients shrink or grow on
 * their way down to the first layer, and what BN does to that.
 */
public final class Deep implements Experiment {

    static final List<Integer> DEPTHS = List.of(10, 20);
    static final List<Activation> ACTIVATIONS = List.of(Activation.SIGMOID, Activation.RELU);
    static final int WIDTH = 100;
    static final int GRADIENT_FREQUENCY = GradientNormListener.SUGGESTED_FREQUENCY;
    private static final String WITH_BN = "_bn";

    /** A deep network without its BN choice: "sigmoid20" is 20 hidden sigmoid layers. */
    record Setting(Activation activation, int depth) {

        String variant(boolean batchNorm) {
            return activation.name().toLowerCase() + depth + (batchNorm ? WITH_BN : "");
        }

        Mlp mlp(boolean batchNorm, long seed) {
            return Mlp.tutorial(seed).withHidden(Collections.nCopies(depth, WIDTH), activation)
                    .withNormalization(batchNorm ? Normalization.BATCH : Normalization.NONE);
        }

        @Override
        public String toString() {
            return activation.name().toLowerCase() + ", " + depth + " layers";
        }
    }

    static List<Setting> settings() {
        List<Setting> settings = new ArrayList<>();
        for (int depth : DEPTHS) {
            ACTIVATIONS.forEach(activation -> settings.add(new Setting(activation, depth)));
        }
        return settings;
    }

    /** Each variant's hidden weight parameters ("0_W", ...), input side first: the same for every seed. */
    private static final Map<String, List<String>> HIDDEN_WEIGHTS = hiddenWeightsByVariant();

    @Override
    public String claim() {
        return "Batch normalization helps deep networks train: it keeps gradients from vanishing or exploding.";
    }

    /**
     * 3 seeds of 2 epochs: 24 runs of 3750 iterations. The 8 networks together cost about 22
     * times the tutorial's mlp_bn per iteration (measured): 33 minutes on the 2-core development
     * machine, beside one other run.
     */
    @Override
    public ExperimentSettings defaults() {
        return new ExperimentSettings(DataSettings.mnist(), 2, 32, 3, false);
    }

    /**
     * One seed, one epoch of 10,000 examples: 313 iterations, enough for BN's running averages
     * (momentum 0.99) to forget their initial values, which otherwise decide the validation accuracy.
     */
    @Override
    public ExperimentSettings quick() {
        return new ExperimentSettings(new DataSettings(KnownDataset.MNIST, null, 10000), 1, 32, 1, true);
    }

    @Override
    public Plan plan(ExperimentSettings settings, TrainTest data) {
        List<Runner.Run> runs = new ArrayList<>();
        for (long seed : settings.seedList()) {
            for (Setting setting : settings()) {
                for (boolean batchNorm : List.of(false, true)) {
                    String variant = setting.variant(batchNorm);
                    RunName name = RunName.of(variant, seed);
                    MultiLayerConfiguration configuration = setting.mlp(batchNorm, seed).configuration();
                    runs.add(new Runner.Run(name, configuration, settings.training(seed),
                            List.of(trainingData -> new GradientNormListener(GRADIENT_FREQUENCY))));
                }
            }
        }
        return new Plan(settings, data, runs);
    }

    private static Map<String, List<String>> hiddenWeightsByVariant() {
        Map<String, List<String>> weights = new HashMap<>();
        for (Setting setting : settings()) {
            for (boolean batchNorm : List.of(false, true)) {
                weights.put(setting.variant(batchNorm), hiddenWeights(setting.mlp(batchNorm, 1).configuration()));
            }
        }
        return Map.copyOf(weights);
    }

    /** The weights of the Dense layers, leaving out the output layer. */
    static List<String> hiddenWeights(MultiLayerConfiguration configuration) {
        return IntStream.range(0, configuration.getConfs().size())
                .filter(i -> configuration.getConf(i).getLayer() instanceof DenseLayer)
                .mapToObj(i -> i + "_W")
                .toList();
    }

    @Override
    public Findings findings(Plan plan, Results results, RunFolder out) {
        List<History> histories = results.histories();
        Map<String, SeedStatistics> accuracy = Variants.finalFigure(histories, EpochRecord::valAccuracy);
        Map<RunName, GradientNormListener> gradients = results.recorders(GradientNormListener.class);
        Map<String, List<GradientNormListener>> recorded = recordedByVariant(histories, gradients);
        MarkdownTable ratios = MarkdownTable.of("variant", "at iteration 0", "median over training", "runs recorded");
        for (Setting setting : settings()) {
            for (boolean batchNorm : List.of(false, true)) {
                String variant = setting.variant(batchNorm);
                List<GradientNormListener> runs = recorded.getOrDefault(variant, List.of());
                ratios.row(variant, ratio(runs, variant, true).format("%.3g"), ratio(runs, variant, false).format("%.3g"),
                        runs.size());
            }
        }
        List<Verdict> verdicts = settings().stream().map(setting -> Variants.higherFinalAccuracy(setting.toString(),
                accuracy, setting.variant(true), setting.variant(false))).toList();
        StringBuilder markdown = new StringBuilder(Variants.table(histories))
                .append("\nGradient norm of the first hidden layer's weights over the last one's (mean ± sd over "
                        + "seeds):\n\n").append(ratios);
        markdown.append(String.format(Locale.ROOT, "%nGradients are those of the batch's mean loss, recorded every "
                + "%d iterations before the update (Adam rescales them afterwards). A run resumed from a checkpoint "
                + "records from where it resumed; runs finished before a resume have no record.%n", GRADIENT_FREQUENCY));
        writeCharts(histories, recorded, out);
        out.writeString("gradient-norms.csv", gradientTable(histories, gradients));
        markdown.append("\nThe recorded norms of every run are in gradient-norms.csv.\n")
                .append("\n![accuracy](accuracy.png)\n\n![gradient profile](gradient-profile.png)\n");
        DEPTHS.forEach(depth -> markdown.append("\n![gradients, ").append(depth).append(" layers](gradients-")
                .append(depth).append(".png)\n"));
        return new Findings(verdicts, markdown.toString());
    }

    /** Every recorded norm of the hidden layers' weights: run, iteration, hidden layer (1 = input side), norm. */
    private static String gradientTable(List<History> histories, Map<RunName, GradientNormListener> gradients) {
        StringBuilder csv = new StringBuilder("run,iteration,hidden_layer,gradient_norm\n");
        for (History history : histories) {
            GradientNormListener run = gradients.get(history.name());
            if (run == null) {
                continue;
            }
            List<String> weights = HIDDEN_WEIGHTS.get(history.name().variant());
            int[] iterations = run.iterations();
            for (int layer = 0; layer < weights.size(); layer++) {
                double[] norms = run.norms(weights.get(layer));
                for (int i = 0; i < norms.length; i++) {
                    csv.append(String.format(Locale.ROOT, "%s,%d,%d,%.6g%n", history.model(), iterations[i], layer + 1,
                            norms[i]));
                }
            }
        }
        return csv.toString();
    }

    /** The listeners that recorded something, by variant. */
    private static Map<String, List<GradientNormListener>> recordedByVariant(List<History> histories,
                                                                       Map<RunName, GradientNormListener> gradients) {
        Map<String, List<GradientNormListener>> recorded = new HashMap<>();
        for (History history : histories) {
            GradientNormListener listener = gradients.get(history.name());
            if (listener != null && listener.iterations().length > 0) {
                recorded.computeIfAbsent(history.name().variant(), v -> new ArrayList<>()).add(listener);
            }
        }
        return recorded;
    }

    /**
     * The first hidden layer's weight-gradient norm over the last one's, per run: at iteration 0
     * ({@code atStart}, for runs that recorded it), or the median over the run's records.
     */
    private static SeedStatistics ratio(List<GradientNormListener> runs, String variant, boolean atStart) {
        List<String> weights = HIDDEN_WEIGHTS.get(variant);
        return SeedStatistics.of(runs.stream()
                .filter(run -> !atStart || run.iterations()[0] == 0)
                .mapToDouble(run -> {
                    double[] first = run.norms(weights.get(0));
                    double[] last = run.norms(weights.get(weights.size() - 1));
                    double[] ratios = IntStream.range(0, first.length).mapToDouble(i -> first[i] / last[i]).toArray();
                    return atStart ? ratios[0] : median(ratios);
                })
                .toArray());
    }

    private static void writeCharts(List<History> histories, Map<String, List<GradientNormListener>> recorded, RunFolder out) {
        out.writePng("accuracy.png", Charts.sideBySide(accuracyBars(histories),
                Variants.meanCurves("Validation accuracy", histories, EpochRecord::valAccuracy)));
        out.writePng("gradient-profile.png", Charts.sideBySide(DEPTHS.stream()
                .map(depth -> profile(depth, recorded)).toArray(XYChart[]::new)));
        for (int depth : DEPTHS) {
            out.writePng("gradients-" + depth + ".png", Charts.sideBySide(settings().stream()
                    .filter(s -> s.depth() == depth)
                    .map(s -> overTraining(s, recorded))
                    .toArray(XYChart[]::new)));
        }
    }

    private static CategoryChart accuracyBars(List<History> histories) {
        Map<String, SeedStatistics> accuracy = Variants.finalFigure(histories, EpochRecord::valAccuracy);
        List<Setting> settings = settings();
        double[][] means = new double[2][settings.size()];
        double[][] sds = new double[2][settings.size()];
        for (int s = 0; s < settings.size(); s++) {
            for (int bn = 0; bn < 2; bn++) {
                SeedStatistics statistics = accuracy.get(settings.get(s).variant(bn == 1));
                means[bn][s] = statistics == null || statistics.runs() == 0 ? 0 : statistics.mean();
                sds[bn][s] = statistics == null || statistics.runs() == 0 ? 0 : statistics.sd();
            }
        }
        return Charts.bars("Final validation accuracy (mean ± sd over seeds)", "validation accuracy",
                settings.stream().map(s -> s.variant(false)).toList(), List.of("without BN", "with BN"), means, sds);
    }

    /**
     * Each variant's median weight-gradient norm over training, layer by layer, pooled over its
     * seeds: where gradients vanish, the line falls towards the first layer.
     */
    private static XYChart profile(int depth, Map<String, List<GradientNormListener>> recorded) {
        List<Charts.Line> lines = new ArrayList<>();
        for (Setting setting : settings()) {
            if (setting.depth() != depth) {
                continue;
            }
            for (boolean batchNorm : List.of(false, true)) {
                String variant = setting.variant(batchNorm);
                List<GradientNormListener> runs = recorded.getOrDefault(variant, List.of());
                if (runs.isEmpty()) {
                    continue;
                }
                List<String> weights = HIDDEN_WEIGHTS.get(variant);
                double[] layers = IntStream.rangeClosed(1, weights.size()).asDoubleStream().toArray();
                double[] medians = weights.stream().mapToDouble(w -> median(runs.stream()
                        .flatMapToDouble(run -> Arrays.stream(run.norms(w))).toArray())).toArray();
                lines.add(new Charts.Line(variant, layers, medians, ACTIVATIONS.indexOf(setting.activation()),
                        !batchNorm));
            }
        }
        return Charts.lines(depth + " hidden layers: median gradient norm over training", "hidden layer (1 = input side)",
                "||dL/dW|| (log scale)", lines, true);
    }

    /** The first and last hidden layers' weight-gradient norms as seed 1 trains, with BN (solid) and without (dashed). */
    private static XYChart overTraining(Setting setting, Map<String, List<GradientNormListener>> recorded) {
        List<Charts.Line> lines = new ArrayList<>();
        for (boolean batchNorm : List.of(false, true)) {
            String variant = setting.variant(batchNorm);
            List<GradientNormListener> runs = recorded.getOrDefault(variant, List.of());
            if (runs.isEmpty()) {
                continue;
            }
            GradientNormListener run = runs.get(0);
            List<String> weights = HIDDEN_WEIGHTS.get(variant);
            double[] x = Arrays.stream(run.iterations()).asDoubleStream().toArray();
            lines.add(new Charts.Line(variant + " layer 1", x, run.norms(weights.get(0)), 0, !batchNorm));
            lines.add(new Charts.Line(variant + " layer " + weights.size(), x,
                    run.norms(weights.get(weights.size() - 1)), 1, !batchNorm));
        }
        return Charts.lines(setting + ": gradient norms (first seed)", "iteration", "||dL/dW|| (log scale)", lines,
                true);
    }

    private static double median(double[] values) {
        return ActivationDistributionListener.percentiles(values, 50)[0];
    }
}
