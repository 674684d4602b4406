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
import org.knowm.xchart.XYChart;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * "Batch normalization lets you use higher learning rates." The tutorial's MLP with and without
 * BN, trained with plain SGD and with Adam at learning rates half a decade apart, from too small
 * to train well in the epochs given to clearly too large. For each optimizer and model: the
 * accuracy reached at each rate, divergence, and the largest rate that trains
 * ({@link LearningRateSweep}).
 */
public final class LearningRate implements Experiment {

    /** The learning rates tried with one optimizer. */
    record Sweep(Optimizer optimizer, List<Double> rates) {

        Sweep {
            rates = List.copyOf(rates);
        }

        String variant(double rate, BuiltInModel model) {
            return variant(Variants.number(rate), model.toString());
        }

        String variant(String rate, String model) {
            return optimizer + "-" + rate + "-" + model;
        }
    }

    /**
     * Half-decade steps. SGD from 0.01, slow for two epochs of plain SGD, to 30, far above what an
     * unnormalized MLP survives: BN makes the hidden weights scale-invariant, so its limit may lie
     * well above the usual range. Adam from a tenth of the tutorial's 1e-3 to a thousand times it.
     */
    static final List<Sweep> FULL = List.of(
            new Sweep(Optimizer.SGD, List.of(0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0, 30.0)),
            new Sweep(Optimizer.ADAM, List.of(1e-4, 3e-4, 1e-3, 3e-3, 0.01, 0.03, 0.1, 0.3, 1.0)));

    /** A decade apart, from each optimizer's usual rate up; SGD's last one drives both models to NaN. */
    static final List<Sweep> QUICK = List.of(
            new Sweep(Optimizer.SGD, List.of(0.1, 1.0, 10.0, 100.0, 1000.0)),
            new Sweep(Optimizer.ADAM, List.of(1e-3, 0.01, 0.1, 1.0)));

    private final List<Sweep> full;
    private final List<Sweep> quick;

    public LearningRate() {
        this(FULL, QUICK);
    }

    LearningRate(List<Sweep> full, List<Sweep> quick) {
        this.full = List.copyOf(full);
        this.quick = List.copyOf(quick);
    }

    @Override
    public String claim() {
        return "Batch normalization lets you use higher learning rates.";
    }

    /**
     * Two epochs: divergence shows within the first few hundred iterations at most rates, and a
     * second epoch catches slower blow-ups. 17 rates x 2 models x 3 seeds = 102 runs (diverged
     * runs stop early): about 1.8 hours on the 2-core development machine, sharing it with two
     * other runs. Three seeds because near the largest rate whether a run diverges depends on the
     * seed.
     */
    @Override
    public ExperimentSettings defaults() {
        return new ExperimentSettings(DataSettings.mnist(), 2, 32, 3, false);
    }

    @Override
    public ExperimentSettings quick() {
        return new ExperimentSettings(new DataSettings(KnownDataset.MNIST, null, 3000), 1, 32, 2, true);
    }

    @Override
    public Plan plan(ExperimentSettings settings, TrainTest data) {
        List<Runner.Run> runs = new ArrayList<>();
        for (long seed : settings.seedList()) {
            for (Sweep sweep : sweeps(settings)) {
                for (double rate : sweep.rates()) {
                    for (BuiltInModel model : BuiltInModel.TUTORIAL_MLPS) {
                        runs.add(new Runner.Run(RunName.of(sweep.variant(rate, model), seed),
                                Mlp.tutorial(seed).withNormalization(model.normalization()).withUpdater(sweep.optimizer().at(rate)).configuration(),
                                settings.training(seed)));
                    }
                }
            }
        }
        return new Plan(settings, data, runs);
    }

    @Override
    public Findings findings(Plan plan, Results results, RunFolder out) {
        List<History> histories = results.histories();
        ExperimentSettings settings = plan.settings();
        Map<String, List<History>> byVariant = Variants.byVariant(histories);
        List<Verdict> verdicts = new ArrayList<>();
        List<XYChart> panels = new ArrayList<>();
        StringBuilder markdown = new StringBuilder(String.format(Locale.ROOT, "A run *trains* when it did not diverge "
                + "and its final validation accuracy is at most %.2f below the best mean final validation accuracy of "
                + "the same model and optimizer over the rates where no seed diverged. A run *diverged* when its "
                + "score became NaN or infinite, or the mean loss of its last 100 iterations exceeded 5 times that of "
                + "its first 100; diverged runs are left out of the means and counted. A run that blows up within "
                + "its first 100 iterations has no calm start to compare with: it is not marked diverged, and ends "
                + "near chance accuracy (0.10) instead.%n", LearningRateSweep.TOLERANCE));
        for (Sweep sweep : sweeps(settings)) {
            Map<BuiltInModel, LearningRateSweep> models = new EnumMap<>(BuiltInModel.class);
            for (BuiltInModel model : BuiltInModel.TUTORIAL_MLPS) {
                models.put(model, results(sweep, model, byVariant));
            }
            LearningRateSweep plain = models.get(BuiltInModel.MLP);
            LearningRateSweep normalized = models.get(BuiltInModel.MLP_BN);
            verdicts.add(new Verdict(sweep.optimizer().toString(), String.format(Locale.ROOT,
                    "largest rate that trains, per seed: mlp %s; mlp_bn %s", plain.largestTrainingRatePerSeed(),
                    normalized.largestTrainingRatePerSeed()), Comparison.of("log10 of the largest learning rate that "
                    + "trains", true, "mlp_bn", normalized.log10LargestTrainingRate(), "mlp",
                    plain.log10LargestTrainingRate())));
            panels.add(LearningRateSweep.chart(sweep.optimizer(), models));
            markdown.append(String.format(Locale.ROOT, "%n## %s%n%nFinal validation accuracy per learning rate:%n%n",
                    sweep.optimizer()))
                    .append(Variants.accuracyGrid(histories, "learning rate",
                            sweep.rates().stream().map(Variants::number).toList(),
                            BuiltInModel.TUTORIAL_MLPS.stream().map(BuiltInModel::toString).toList(),
                            sweep::variant))
                    .append('\n')
                    .append(LearningRateSweep.table(models));
        }
        out.writePng("learning-rate.png", Charts.sideBySide(panels.toArray(XYChart[]::new)));
        markdown.append("\n![validation accuracy against learning rate](learning-rate.png)\n");
        return new Findings(verdicts, markdown.toString());
    }

    private List<Sweep> sweeps(ExperimentSettings settings) {
        return settings.quick() ? quick : full;
    }

    private static LearningRateSweep results(Sweep sweep, BuiltInModel model, Map<String, List<History>> byVariant) {
        return new LearningRateSweep(sweep.rates(), sweep.rates().stream()
                .map(rate -> byVariant.get(sweep.variant(rate, model)))
                .toList());
    }
}
