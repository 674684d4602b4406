package bnlab.experiment;

import bnlab.data.ClassSubset;
import bnlab.data.DataSettings;
import bnlab.data.KnownDataset;
import bnlab.data.TrainTest;
import bnlab.report.Charts;
import bnlab.report.MarkdownTable;
import bnlab.report.RunFolder;
import bnlab.train.EpochRecord;
import bnlab.train.History;
import bnlab.train.RunName;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * "Keep the BN layers frozen at first when you fine-tune a pretrained network." cnn_bn is
 * pretrained on classes 0-4 (MNIST's digits 0-4), one network per seed ({@link Pretraining}),
 * then given a new five-output head for classes 5-9 (class 5 is output 0) and fine-tuned on them
 * four ways, which differ only in what stays frozen; see {@link FineTuningVariant}.
 *
 * <p>Each fine-tuning run starts from its variant's network built from the pretrained network
 * of its seed ({@link FineTuned}). {@code --resume} continues or reuses the pretraining as
 * {@link Pretraining} says, then continues fine-tuning from the run folder's checkpoint.
 */
public final class Transfer implements Experiment {

    static final ClassSubset SOURCE = ClassSubset.range(0, 4);
    static final ClassSubset TARGET = ClassSubset.range(5, 9);
    /** How long bn_frozen_first keeps its BN layers frozen. */
    static final int FROZEN_EPOCHS = 1;
    /** Training steps on each side of the unfreezing whose losses are compared, and the width of the loss curves' moving average. */
    static final int WINDOW = 50;

    private final int pretrainingSteps;

    public Transfer() {
        this(Pretraining.STEPS);
    }

    /** With pretraining of at least {@code pretrainingSteps} steps; tests shorten it. */
    Transfer(int pretrainingSteps) {
        this.pretrainingSteps = pretrainingSteps;
    }

    @Override
    public String claim() {
        return "When fine-tuning a pretrained network on a new task, keep its BN layers frozen (in inference mode) "
                + "at first.";
    }

    /**
     * Three epochs of fine-tuning, the first with bn_frozen_first's BN frozen: pretraining (two
     * epochs of the 30,596 examples of digits 0-4 per seed) and fine-tuning (twelve runs of three
     * epochs of the 29,404 of digits 5-9) took 31 minutes on one core of the development machine.
     */
    @Override
    public ExperimentSettings defaults() {
        return new ExperimentSettings(DataSettings.mnist(), 3, 32, 3, false);
    }

    /** About a minute: pretraining takes half of it, as it runs at least {@link Pretraining#STEPS} steps. */
    @Override
    public ExperimentSettings quick() {
        return new ExperimentSettings(new DataSettings(KnownDataset.MNIST, null, 6000), 2, 32, 1, true);
    }

    /**
     * Pretraining on the source classes, then every variant fine-tuned on the target classes.
     * A variant's network is the same whatever the pretrained parameters, so the plan builds its
     * configuration from an untrained stand-in; its parameters come from the real one.
     */
    @Override
    public Plan plan(ExperimentSettings settings, TrainTest data) {
        Pretraining pretraining = new Pretraining(settings, SOURCE, pretrainingSteps, data);
        List<Runner.Run> runs = new ArrayList<>();
        for (long seed : settings.seedList()) {
            MultiLayerNetwork standIn = pretraining.untrained(seed);
            for (FineTuningVariant variant : FineTuningVariant.values()) {
                runs.add(new Runner.Run(RunName.of(variant.toString(), seed),
                        variant.fineTunable(standIn, seed, settings.epochs()).getLayerWiseConfigurations().clone(),
                        settings.training(seed), List.of(),
                        Optional.of(new FineTuned(variant, seed, settings.epochs()))));
            }
        }
        return new Plan(settings, TARGET.of(data), runs, Optional.of(pretraining));
    }

    /** A fine-tuning run's start: its variant's network built from the pretrained network of its seed. */
    record FineTuned(FineTuningVariant variant, long seed, int epochs) implements Runner.Start {

        @Override
        public INDArray parameters(Map<RunName, MultiLayerNetwork> trainedBefore) {
            return variant.fineTunable(trainedBefore.get(Pretraining.name(seed)), seed, epochs).params();
        }
    }

    @Override
    public Findings findings(Plan plan, Results results, RunFolder out) {
        List<History> histories = results.histories();
        ExperimentSettings settings = plan.settings();
        FineTuningCurves curves = new FineTuningCurves(histories);
        out.writePng("transfer.png", Charts.sideBySide(
                Variants.meanCurves("Validation accuracy on classes " + TARGET, histories, EpochRecord::valAccuracy),
                curves.trainingLoss()));
        Map<String, SeedStatistics> whileFrozen = Variants.figureAfterEpoch(histories, FROZEN_EPOCHS,
                EpochRecord::valAccuracy);
        Map<String, SeedStatistics> last = Variants.finalFigure(histories, EpochRecord::valAccuracy);
        String first = FineTuningVariant.BN_FROZEN_FIRST.toString();
        String trainable = FineTuningVariant.ALL_TRAINABLE.toString();
        List<Verdict> verdict = List.of(
                new Verdict("while frozen (epoch " + FROZEN_EPOCHS + ")", Comparison.of("validation accuracy after "
                        + "epoch " + FROZEN_EPOCHS, true, first, whileFrozen.get(first), trainable, whileFrozen.get(trainable))),
                new Verdict("at the end (epoch " + settings.epochs() + ")", Comparison.of("final validation accuracy",
                        true, first, last.get(first), trainable, last.get(trainable))));
        StringBuilder markdown = new StringBuilder()
                .append("## Pretraining\n\n").append(plan.pretraining().orElseThrow().describe(out))
                .append(" (").append(Pretraining.FOLDER).append("/).\n")
                .append("\n## Variants\n\nEach fine-tunes the pretrained network of its seed with a new head of ")
                .append(TARGET.size()).append(" outputs (class ").append(TARGET.classes().get(0))
                .append(" is output 0), Adam 1e-3 as in pretraining.\n\n");
        MarkdownTable variants = MarkdownTable.of("variant", "what is frozen, and how");
        for (FineTuningVariant variant : FineTuningVariant.values()) {
            variants.row(variant, variant.freezes);
        }
        markdown.append(variants).append("\n## Validation accuracy on classes ").append(TARGET).append(" per epoch\n\n")
                .append(curves.accuracyPerEpoch(settings.epochs()))
                .append(curves.unfreezing())
                .append("\n## Final figures\n\n").append(Variants.table(histories))
                .append("\n![transfer](transfer.png)\n");
        return new Findings(verdict, markdown.toString());
    }
}
