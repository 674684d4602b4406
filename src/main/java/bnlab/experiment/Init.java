package bnlab.experiment;

import bnlab.data.DataSettings;
import bnlab.data.KnownDataset;
import bnlab.data.TrainTest;
import bnlab.model.BuiltInModel;
import bnlab.model.Mlp;
import bnlab.report.Charts;
import bnlab.report.RunFolder;
import bnlab.train.History;
import bnlab.train.RunName;
import org.deeplearning4j.nn.conf.distribution.NormalDistribution;
import org.deeplearning4j.nn.weights.IWeightInit;
import org.deeplearning4j.nn.weights.WeightInitDistribution;
import org.deeplearning4j.nn.weights.WeightInitRelu;
import org.deeplearning4j.nn.weights.WeightInitXavier;
import org.knowm.xchart.CategoryChart;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * "Batch normalization makes the network less sensitive to weight initialization." The
 * tutorial's MLP with and without BN, its Dense and output weights drawn from Gaussians of
 * standard deviation 0.001 to 1, or by Xavier's or He's rule, trained with the tutorial's Adam
 * and with plain SGD. For each model and optimizer: the accuracy per initialization and how far
 * apart the initializations end ({@link InitSpread}).
 */
public final class Init implements Experiment {

    /**
     * "sd_0.01" is N(0, 0.01²). Gaussians a decade apart around Xavier's and He's scales for these
     * layers (0.05 to 0.25 for He): 0.001 and 0.01 shrink the signal layer by layer, 1 blows it up.
     */
    static final Map<String, IWeightInit> INITS = new LinkedHashMap<>();

    static {
        for (double sd : new double[]{0.001, 0.01, 0.1, 1}) {
            INITS.put("sd_" + Variants.number(sd), new WeightInitDistribution(new NormalDistribution(0, sd)));
        }
        INITS.put("xavier", new WeightInitXavier());
        INITS.put("he", new WeightInitRelu());
    }

    /**
     * The tutorial's Adam, and plain SGD at a usual rate for it: Adam rescales every weight's step
     * by its own gradient's size, which may hide much of what initialization does to SGD.
     */
    static final Map<Optimizer, Double> OPTIMIZERS = new EnumMap<>(Map.of(Optimizer.ADAM, 1e-3, Optimizer.SGD, 0.1));

    private final Map<String, IWeightInit> inits;
    private final Map<Optimizer, Double> optimizers;

    public Init() {
        this(INITS, OPTIMIZERS);
    }

    /** @param optimizers each optimizer's learning rate */
    Init(Map<String, IWeightInit> inits, Map<Optimizer, Double> optimizers) {
        this.inits = new LinkedHashMap<>(inits);
        this.optimizers = new EnumMap<>(optimizers);
    }

    @Override
    public String claim() {
        return "Batch normalization makes the network less sensitive to weight initialization.";
    }

    /**
     * Two epochs: enough for the usual initializations to reach their plateau, and for a slow
     * start from a tiny one to show. 6 initializations x 2 optimizers x 2 models x 3 seeds = 72
     * runs: 69 minutes on the 2-core development machine, sharing it with two other runs. Three
     * seeds, because the per-seed spread is what the verdict judges by.
     */
    @Override
    public ExperimentSettings defaults() {
        return new ExperimentSettings(DataSettings.mnist(), 2, 32, 3, false);
    }

    @Override
    public ExperimentSettings quick() {
        return new ExperimentSettings(new DataSettings(KnownDataset.MNIST, null, 3000), 1, 32, 1, true);
    }

    @Override
    public Plan plan(ExperimentSettings settings, TrainTest data) {
        List<Runner.Run> runs = new ArrayList<>();
        for (long seed : settings.seedList()) {
            optimizers.forEach((optimizer, rate) -> inits.forEach((init, weightInit) -> {
                for (BuiltInModel model : BuiltInModel.TUTORIAL_MLPS) {
                    runs.add(new Runner.Run(RunName.of(variant(optimizer, init, model.toString()), seed),
                            Mlp.tutorial(seed).withNormalization(model.normalization()).withUpdater(optimizer.at(rate)).withWeightInit(weightInit)
                                    .configuration(),
                            settings.training(seed)));
                }
            }));
        }
        return new Plan(settings, data, runs);
    }

    @Override
    public Findings findings(Plan plan, Results results, RunFolder out) {
        List<History> histories = results.histories();
        Map<String, List<History>> byVariant = Variants.byVariant(histories);
        List<String> names = List.copyOf(inits.keySet());
        List<Verdict> verdicts = new ArrayList<>();
        List<CategoryChart> panels = new ArrayList<>();
        StringBuilder markdown = new StringBuilder(String.format(Locale.ROOT, "Initializations of the weights of every "
                + "Dense layer and the output layer: sd_σ draws them from N(0, σ²), xavier from N(0, 2/(fan_in + "
                + "fan_out)), he from N(0, 2/fan_in); biases start at 0, BN's scale at 1 and shift at 0.%n%n"
                + "The spread of an optimizer and model is how far apart its initializations end: the range (best "
                + "minus worst) and the standard deviation of the initializations' mean final validation accuracies, "
                + "and the best minus the worst initialization's accuracy within each seed, over the seeds. In these "
                + "and in the chart a diverged run counts at chance accuracy (%.2f); the per-initialization table "
                + "leaves diverged runs out of the means and counts them.%n", InitSpread.CHANCE));
        for (Map.Entry<Optimizer, Double> training : optimizers.entrySet()) {
            Optimizer optimizer = training.getKey();
            Map<BuiltInModel, InitSpread> models = new EnumMap<>(BuiltInModel.class);
            for (BuiltInModel model : BuiltInModel.TUTORIAL_MLPS) {
                models.put(model, new InitSpread(names, names.stream()
                        .map(init -> byVariant.get(variant(optimizer, init, model.toString())))
                        .toList()));
            }
            InitSpread plain = models.get(BuiltInModel.MLP);
            InitSpread normalized = models.get(BuiltInModel.MLP_BN);
            String name = optimizer + " " + Variants.number(training.getValue());
            verdicts.add(new Verdict(name, String.format(Locale.ROOT, "range of the initializations' means: mlp %.4f, "
                    + "mlp_bn %.4f", plain.rangeOfMeans(), normalized.rangeOfMeans()), Comparison.of("best minus worst "
                    + "initialization's final validation accuracy, per seed", false, "mlp_bn",
                    normalized.perSeedSpread(), "mlp", plain.perSeedSpread())));
            panels.add(InitSpread.chart(name, names, models));
            markdown.append(String.format(Locale.ROOT, "%n## %s%n%nFinal validation accuracy per initialization:%n%n",
                    name))
                    .append(Variants.accuracyGrid(histories, "initialization", names,
                            BuiltInModel.TUTORIAL_MLPS.stream().map(BuiltInModel::toString).toList(),
                            (init, model) -> variant(optimizer, init, model)))
                    .append('\n')
                    .append(InitSpread.table(models));
        }
        out.writePng("init.png", Charts.sideBySide(panels.toArray(CategoryChart[]::new)));
        markdown.append("\n![final validation accuracy per initialization](init.png)\n");
        return new Findings(verdicts, markdown.toString());
    }

    private static String variant(Optimizer optimizer, String init, String model) {
        return optimizer + "-" + init + "-" + model;
    }
}
