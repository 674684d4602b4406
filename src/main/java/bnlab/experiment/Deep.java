package bnlab.experiment;

import bnlab.data.DataSettings;
import bnlab.data.KnownDataset;
import bnlab.data.TrainTest;
import bnlab.model.Mlp;
import bnlab.model.Normalization;
import bnlab.report.Charts;
import bnlab.report.RunFolder;
import bnlab.train.EpochRecord;
import bnlab.train.GradientNormListener;
import bnlab.train.History;
import bnlab.train.RunName;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.knowm.xchart.CategoryChart;
import org.nd4j.linalg.activations.Activation;

import java.util.ArrayList;
import java.util.Collections;
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
        List<Verdict> verdicts = settings().stream().map(setting -> Variants.higherFinalAccuracy(setting.toString(),
                accuracy, setting.variant(true), setting.variant(false))).toList();
        DeepGradients gradients = DeepGradients.of(results);
        out.writePng("accuracy.png", Charts.sideBySide(accuracyBars(accuracy),
                Variants.meanCurves("Validation accuracy", histories, EpochRecord::valAccuracy)));
        gradients.writeCharts(out);
        out.writeString("gradient-norms.csv", gradients.csv());
        StringBuilder markdown = new StringBuilder(Variants.table(histories))
                .append("\nGradient norm of the first hidden layer's weights over the last one's (mean ± sd over "
                        + "seeds):\n\n").append(gradients.ratioTable());
        markdown.append(String.format(Locale.ROOT, "%nGradients are those of the batch's mean loss, recorded every "
                + "%d iterations before the update (Adam rescales them afterwards). A run resumed from a checkpoint "
                + "records from where it resumed; runs finished before a resume have no record.%n", GRADIENT_FREQUENCY));
        markdown.append("\nThe recorded norms of every run are in gradient-norms.csv.\n")
                .append("\n![accuracy](accuracy.png)\n\n![gradient profile](gradient-profile.png)\n");
        DEPTHS.forEach(depth -> markdown.append("\n![gradients, ").append(depth).append(" layers](gradients-")
                .append(depth).append(".png)\n"));
        return new Findings(verdicts, markdown.toString());
    }

    private static CategoryChart accuracyBars(Map<String, SeedStatistics> accuracy) {
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
}
