package bnlab.experiment;

import bnlab.data.ClassSubset;
import bnlab.data.DataSettings;
import bnlab.data.KnownDataset;
import bnlab.data.TrainTest;
import bnlab.model.FineTuning;
import bnlab.model.layers.FrozenBatchNormalization;
import bnlab.report.Charts;
import bnlab.report.MarkdownTable;
import bnlab.report.RunFolder;
import bnlab.train.EpochRecord;
import bnlab.train.History;
import bnlab.train.RunName;
import bnlab.train.Status;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.transferlearning.TransferLearning;
import org.knowm.xchart.XYChart;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;

/**
 * "Keep the BN layers frozen at first when you fine-tune a pretrained network." cnn_bn is
 * pretrained on classes 0-4 (MNIST's digits 0-4), one network per seed ({@link Pretraining}),
 * then given a new five-output head for classes 5-9 (class 5 is output 0) and fine-tuned on them
 * four ways, which differ only in what stays frozen; see {@link Variant}.
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

    /** The ways of fine-tuning compared: what each freezes, and with which mechanism. */
    enum Variant {
        BN_FROZEN_FIRST("every BN layer frozen for the first " + FROZEN_EPOCHS + " epoch(s), then trainable; all "
                + "other layers trainable from the start. FrozenBatchNormalization: inference mode (running "
                + "statistics), gamma, beta and the running statistics fixed, gradients passed to the layers below") {
            @Override
            MultiLayerNetwork fineTunable(MultiLayerNetwork pretrained, long seed, int epochs) {
                return withFrozenBatchNormalization(newHead(pretrained, seed).build(), FROZEN_EPOCHS);
            }
        },
        ALL_TRAINABLE("every layer trainable from the start: BN normalizes with batch statistics and its running "
                + "statistics move towards the new classes' (TransferLearning with nothing frozen)") {
            @Override
            MultiLayerNetwork fineTunable(MultiLayerNetwork pretrained, long seed, int epochs) {
                return newHead(pretrained, seed).build();
            }
        },
        BN_FROZEN("every BN layer frozen for all epochs, all other layers trainable: FrozenBatchNormalization, "
                + "as in bn_frozen_first, never unfrozen") {
            @Override
            MultiLayerNetwork fineTunable(MultiLayerNetwork pretrained, long seed, int epochs) {
                return withFrozenBatchNormalization(newHead(pretrained, seed).build(), epochs);
            }
        },
        FEATURES_FROZEN("every layer but the new head frozen, BN included: TransferLearning.setFeatureExtractor, "
                + "which wraps them in DL4J's FrozenLayer (inference mode, no updates, no gradient below the head)") {
            @Override
            MultiLayerNetwork fineTunable(MultiLayerNetwork pretrained, long seed, int epochs) {
                return newHead(pretrained, seed).setFeatureExtractor(FineTuning.lastHiddenLayer(pretrained)).build();
            }
        };

        final String freezes;

        Variant(String freezes) {
            this.freezes = freezes;
        }

        /** The network this variant fine-tunes, built from {@code pretrained} with a new head for the target classes. */
        abstract MultiLayerNetwork fineTunable(MultiLayerNetwork pretrained, long seed, int epochs);

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }

        private static TransferLearning.Builder newHead(MultiLayerNetwork pretrained, long seed) {
            return FineTuning.newHead(pretrained, TARGET.size(), seed);
        }

        private static MultiLayerNetwork withFrozenBatchNormalization(MultiLayerNetwork network, int epochs) {
            return new MultiLayerNetwork(FrozenBatchNormalization.freezeBatchNormalization(
                    network.getLayerWiseConfigurations(), epochs), network.params());
        }
    }

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
            for (Variant variant : Variant.values()) {
                runs.add(new Runner.Run(RunName.of(variant.toString(), seed),
                        variant.fineTunable(standIn, seed, settings.epochs()).getLayerWiseConfigurations().clone(),
                        settings.training(seed), List.of(),
                        Optional.of(new FineTuned(variant, seed, settings.epochs()))));
            }
        }
        return new Plan(settings, TARGET.of(data), runs, Optional.of(pretraining));
    }

    /** A fine-tuning run's start: its variant's network built from the pretrained network of its seed. */
    record FineTuned(Variant variant, long seed, int epochs) implements Runner.Start {

        @Override
        public INDArray parameters(Map<RunName, MultiLayerNetwork> trainedBefore) {
            return variant.fineTunable(trainedBefore.get(Pretraining.name(seed)), seed, epochs).params();
        }
    }

    @Override
    public Findings findings(Plan plan, Results results, RunFolder out) {
        List<History> histories = results.histories();
        ExperimentSettings settings = plan.settings();
        out.writePng("transfer.png", Charts.sideBySide(
                Variants.meanCurves("Validation accuracy on classes " + TARGET, histories, EpochRecord::valAccuracy),
                trainingLossCurves(histories)));
        Map<String, SeedStatistics> whileFrozen = Variants.figureAfterEpoch(histories, FROZEN_EPOCHS,
                EpochRecord::valAccuracy);
        Map<String, SeedStatistics> last = Variants.finalFigure(histories, EpochRecord::valAccuracy);
        String first = Variant.BN_FROZEN_FIRST.toString();
        String trainable = Variant.ALL_TRAINABLE.toString();
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
        for (Variant variant : Variant.values()) {
            variants.row(variant, variant.freezes);
        }
        markdown.append(variants).append("\n## Validation accuracy on classes ").append(TARGET).append(" per epoch\n\n")
                .append(accuracyPerEpoch(histories, settings.epochs()))
                .append(unfreezing(histories))
                .append("\n## Final figures\n\n").append(Variants.table(histories))
                .append("\n![transfer](transfer.png)\n");
        return new Findings(verdict, markdown.toString());
    }


    /** Each variant's validation accuracy after every epoch, mean ± sd over its seeds. */
    private static String accuracyPerEpoch(List<History> histories, int epochs) {
        List<String> headers = new ArrayList<>(List.of("variant"));
        IntStream.rangeClosed(1, epochs).forEach(e -> headers.add("epoch " + e));
        MarkdownTable table = MarkdownTable.of(headers);
        List<Map<String, SeedStatistics>> perEpoch = IntStream.rangeClosed(1, epochs)
                .mapToObj(e -> Variants.figureAfterEpoch(histories, e, EpochRecord::valAccuracy)).toList();
        for (String variant : Variants.byVariant(histories).keySet()) {
            List<String> cells = new ArrayList<>(List.of(variant));
            perEpoch.forEach(figures -> cells.add(figures.get(variant).format("%.4f")));
            table.row(cells);
        }
        return table.toString();
    }

    /**
     * The training loss in the {@link #WINDOW} steps before and after bn_frozen_first's BN layers
     * unfreeze, beside the same steps of all_trainable: the shock of switching from running to
     * batch statistics shows as a jump in the first.
     */
    private static String unfreezing(List<History> histories) {
        Map<String, List<History>> byVariant = Variants.byVariant(histories);
        List<History> frozenFirst = done(byVariant.get(Variant.BN_FROZEN_FIRST.toString()));
        if (frozenFirst.isEmpty() || frozenFirst.get(0).epochs().size() <= FROZEN_EPOCHS) {
            return "";
        }
        History any = frozenFirst.get(0);
        int step = FROZEN_EPOCHS * (any.iterationScores().size() / any.epochs().size());
        MarkdownTable table = MarkdownTable.of("variant", "before", "after", "change");
        for (Variant variant : List.of(Variant.BN_FROZEN_FIRST, Variant.ALL_TRAINABLE)) {
            List<History> runs = done(byVariant.get(variant.toString()));
            double[] before = runs.stream().mapToDouble(h -> meanScore(h, step - WINDOW, step)).toArray();
            double[] after = runs.stream().mapToDouble(h -> meanScore(h, step, step + WINDOW)).toArray();
            double[] change = IntStream.range(0, runs.size()).mapToDouble(i -> after[i] - before[i]).toArray();
            table.row(variant, SeedStatistics.of(before).format("%.4f"), SeedStatistics.of(after).format("%.4f"),
                    SeedStatistics.of(change).format("%+.4f"));
        }
        return String.format(Locale.ROOT, "%n## At the unfreezing%n%nTraining loss (mean of the batches' losses) in the "
                + "%d steps before step %d, where bn_frozen_first's BN layers unfreeze, and in the %d steps from it; "
                + "mean ± sd over seeds.%n%n", WINDOW, step, WINDOW) + table;
    }

    private static List<History> done(List<History> runs) {
        return runs == null ? List.of() : runs.stream().filter(h -> h.status() == Status.DONE).toList();
    }

    private static double meanScore(History history, int from, int to) {
        List<Double> scores = history.iterationScores();
        return scores.subList(Math.max(0, from), Math.min(scores.size(), to)).stream()
                .mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    /**
     * Each variant's training loss per step, averaged over its seeds and over the last
     * {@link #WINDOW} steps (fewer in runs too short for that).
     */
    private static XYChart trainingLossCurves(List<History> histories) {
        List<History> finished = done(histories);
        int steps = finished.stream().mapToInt(h -> h.iterationScores().size()).min().orElse(0);
        int window = Math.min(WINDOW, Math.max(1, steps / 4));
        double[] x = IntStream.rangeClosed(window, steps).asDoubleStream().toArray();
        List<Charts.Line> lines = new ArrayList<>();
        for (Map.Entry<String, List<History>> variant : Variants.byVariant(finished).entrySet()) {
            double[] y = IntStream.rangeClosed(window, steps).mapToDouble(end -> variant.getValue().stream()
                    .mapToDouble(h -> meanScore(h, end - window, end)).average().orElseThrow()).toArray();
            lines.add(new Charts.Line(variant.getKey(), x, y, lines.size(), false));
        }
        return Charts.lines("Training loss (moving average of " + window + " steps, mean over seeds)", "step",
                "training loss", lines, true);
    }
}
