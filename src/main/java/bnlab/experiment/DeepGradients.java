package bnlab.experiment;

import bnlab.report.Charts;
import bnlab.report.MarkdownTable;
import bnlab.report.RunFolder;
import bnlab.train.ActivationDistributionListener;
import bnlab.train.GradientNormListener;
import bnlab.train.History;
import bnlab.train.RunName;
import org.knowm.xchart.XYChart;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;

import static bnlab.experiment.Deep.ACTIVATIONS;
import static bnlab.experiment.Deep.DEPTHS;
import static bnlab.experiment.Deep.settings;

/**
 * What the deep experiment's gradient recorders recorded, and its page's share of it: the
 * first-to-last layer ratios, the layer profile and the norms over training as charts, and
 * every recorded norm as CSV.
 *
 * @param histories the runs' histories
 * @param byRun     each run's recorder, by run name
 * @param recorded  the recorders that recorded something, by variant
 */
record DeepGradients(List<History> histories, Map<RunName, GradientNormListener> byRun,
                     Map<String, List<GradientNormListener>> recorded) {

    /** Each variant's hidden weight parameters ("0_W", ...), input side first: the same for every seed. */
    private static final Map<String, List<String>> HIDDEN_WEIGHTS = hiddenWeightsByVariant();

    static DeepGradients of(Results results) {
        Map<RunName, GradientNormListener> byRun = results.recorders(GradientNormListener.class);
        return new DeepGradients(results.histories(), byRun, recordedByVariant(results.histories(), byRun));
    }

    /** The first hidden layer's gradient norm over the last one's, per variant, as a Markdown table. */
    String ratioTable() {
        MarkdownTable ratios = MarkdownTable.of("variant", "at iteration 0", "median over training", "runs recorded");
        for (Deep.Setting setting : settings()) {
            for (boolean batchNorm : List.of(false, true)) {
                String variant = setting.variant(batchNorm);
                List<GradientNormListener> runs = recorded.getOrDefault(variant, List.of());
                ratios.row(variant, ratio(runs, variant, true).format("%.3g"), ratio(runs, variant, false).format("%.3g"),
                        runs.size());
            }
        }
        return ratios.toString();
    }

    /** Writes gradient-profile.png and gradients-DEPTH.png. */
    void writeCharts(RunFolder out) {
        out.writePng("gradient-profile.png", Charts.sideBySide(DEPTHS.stream()
                .map(this::profile).toArray(XYChart[]::new)));
        for (int depth : DEPTHS) {
            out.writePng("gradients-" + depth + ".png", Charts.sideBySide(settings().stream()
                    .filter(s -> s.depth() == depth)
                    .map(this::overTraining)
                    .toArray(XYChart[]::new)));
        }
    }

    /** Every recorded norm of the hidden layers' weights: run, iteration, hidden layer (1 = input side), norm. */
    String csv() {
        StringBuilder csv = new StringBuilder("run,iteration,hidden_layer,gradient_norm\n");
        for (History history : histories) {
            GradientNormListener run = byRun.get(history.name());
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

    /**
     * Each variant's median weight-gradient norm over training, layer by layer, pooled over its
     * seeds: where gradients vanish, the line falls towards the first layer.
     */
    private XYChart profile(int depth) {
        List<Charts.Line> lines = new ArrayList<>();
        for (Deep.Setting setting : settings()) {
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
    private XYChart overTraining(Deep.Setting setting) {
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

    private static Map<String, List<String>> hiddenWeightsByVariant() {
        Map<String, List<String>> weights = new HashMap<>();
        for (Deep.Setting setting : settings()) {
            for (boolean batchNorm : List.of(false, true)) {
                weights.put(setting.variant(batchNorm), Deep.hiddenWeights(setting.mlp(batchNorm, 1).configuration()));
            }
        }
        return Map.copyOf(weights);
    }

    static double median(double[] values) {
        return ActivationDistributionListener.percentiles(values, 50)[0];
    }
}
