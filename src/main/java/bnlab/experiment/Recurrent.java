package bnlab.experiment;

import bnlab.data.DataSettings;
import bnlab.data.InputShape;
import bnlab.data.KnownDataset;
import bnlab.data.TrainTest;
import bnlab.model.BnParameters;
import bnlab.model.ModelFiles;
import bnlab.model.Normalization;
import bnlab.model.Rnn;
import bnlab.report.Charts;
import bnlab.report.MarkdownTable;
import bnlab.report.RunFolder;
import bnlab.train.EpochRecord;
import bnlab.train.History;
import bnlab.train.Status;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongFunction;

/**
 * "Batch normalization fits recurrent networks poorly; use layer normalization there."
 * Sequential MNIST (each image read as 28 time steps of 28 pixels) with two recurrent layers:
 * SimpleRnn and LSTM, each without normalization, with layer normalization and with BN between
 * the recurrent layers at every time step. See {@link Rnn} for how they are placed, and why
 * not SimpleRnn's own layer normalization.
 *
 * <p>Measured: accuracy; training stability (diverged runs, how much the loss jumps from one
 * iteration to the next, the largest drop of validation accuracy from one epoch to the next);
 * BN's inference with its running statistics against statistics recomputed from training
 * data; and how far the statistics of single time steps lie from the one mean and variance BN
 * pools over all of them.
 */
public final class Recurrent implements Experiment {

    static final Map<String, LongFunction<MultiLayerConfiguration>> VARIANTS = new LinkedHashMap<>();

    static {
        for (Rnn.Cell cell : Rnn.Cell.values()) {
            String name = cell == Rnn.Cell.SIMPLE ? "rnn" : "lstm";
            VARIANTS.put(name, seed -> Rnn.simple(seed).withCell(cell).configuration());
            VARIANTS.put(name + "_ln", seed -> Rnn.simple(seed).withCell(cell).withNormalization(Normalization.LAYER)
                    .configuration());
            VARIANTS.put(name + "_bn", seed -> Rnn.simple(seed).withCell(cell).withNormalization(Normalization.BATCH)
                    .configuration());
        }
    }

    /** Time steps shown in the per-step statistics, 1 for the first. */
    static final int[] STEPS_SHOWN = {1, 2, 3, 5, 10, 20, 28};
    /** Test sequences whose activations give the per-step statistics. */
    static final int STATISTICS_EXAMPLES = 2000;

    @Override
    public String claim() {
        return "Batch normalization fits recurrent networks poorly; layer normalization, which normalizes each "
                + "example at each time step on its own, is the one to use there.";
    }

    /**
     * Five epochs of the full training set in batches of 32, three seeds: 90 epochs of
     * recurrent layers unrolled over 28 steps, about two hours on 2 idle cores (SimpleRnn's
     * epochs take about half a minute, the LSTM's about two).
     */
    @Override
    public ExperimentSettings defaults() {
        return new ExperimentSettings(DataSettings.mnist(), 5, 32, 3, false);
    }

    /** Two epochs (the loss's jumps are measured after the first) of 3000 examples, one seed. */
    @Override
    public ExperimentSettings quick() {
        return new ExperimentSettings(new DataSettings(KnownDataset.MNIST, null, 3000), 2, 32, 1, true);
    }

    @Override
    public Plan plan(ExperimentSettings settings, TrainTest data) {
        return new Plan(settings, data, Variants.runs(settings, VARIANTS));
    }

    @Override
    public Findings findings(Plan plan, Results results, RunFolder out) {
        List<History> histories = results.histories();
        ExperimentSettings settings = plan.settings();
        TrainTest data = plan.data();
        Map<String, SeedStatistics> accuracy = Variants.finalFigure(histories, EpochRecord::valAccuracy);
        out.writePng("recurrent.png", Charts.sideBySide(
                Variants.meanCurves("Validation accuracy", histories, EpochRecord::valAccuracy),
                Regularization.iterationScores(histories)));
        List<Verdict> verdict = List.of(
                Variants.higherFinalAccuracy("layer norm beats BN", accuracy, "rnn_ln", "rnn_bn"),
                Variants.higherFinalAccuracy("BN helps the SimpleRnn", accuracy, "rnn_bn", "rnn"),
                Variants.higherFinalAccuracy("layer norm beats BN in the LSTM", accuracy, "lstm_ln", "lstm_bn"),
                Variants.higherFinalAccuracy("BN helps the LSTM", accuracy, "lstm_bn", "lstm"));
        String markdown = Variants.table(histories) + "\n" + stability(histories) + "\n"
                + BnStatistics.of(histories, out, data, run -> run.variant().endsWith("_bn"),
                run -> settings.batchSize()).table(histories)
                + "\n" + perStepStatistics(histories, out, data) + "\n![recurrent](recurrent.png)\n\n" + WHY;
        return new Findings(verdict, markdown);
    }

    static final String WHY = """
            Why BN fits recurrent networks poorly: BN gives each feature one mean and variance, \
            pooled here over the batch and every time step, while a recurrent layer's activations \
            change from step to step (the table above measures how far single steps lie from the \
            pooled statistics); statistics per step (Cooijmans et al., 2017) need a recurrent layer \
            of their own, and steps beyond the longest training sequence have none. With sequences \
            of different lengths, padded steps enter the statistics (DL4J's BN ignores masks). BN \
            also carries every weakness of small batches, and inference uses running averages \
            that must match every step. Layer normalization normalizes each example at each step \
            over its own features: no batch, no running averages, the same computation in \
            training and inference, and any sequence length. Not measured here: sequences of \
            different lengths (every MNIST sequence has 28 steps).
            """;

    /** Loss jumps and accuracy drops, per variant over its seeds that finished. */
    private static String stability(List<History> histories) {
        MarkdownTable table = MarkdownTable.of("variant", "iteration-to-iteration loss change (sd)",
                "largest validation accuracy drop");
        Variants.byVariant(histories).forEach((variant, runs) -> {
            List<History> done = runs.stream().filter(h -> h.status() == Status.DONE).toList();
            table.row(variant,
                    SeedStatistics.of(done.stream().mapToDouble(Regularization::successiveChangeSpread).toArray())
                            .format("%.4f"),
                    SeedStatistics.of(done.stream().mapToDouble(Recurrent::largestAccuracyDrop).toArray())
                            .format("%.4f"));
        });
        return "Training stability: the standard deviation of the change of the loss from one iteration to the next "
                + "after the first epoch, and the largest drop of validation accuracy from one epoch to the next.\n\n"
                + table;
    }

    static double largestAccuracyDrop(History history) {
        double drop = 0;
        List<EpochRecord> epochs = history.epochs();
        for (int e = 1; e < epochs.size(); e++) {
            drop = Math.max(drop, epochs.get(e - 1).valAccuracy() - epochs.get(e).valAccuracy());
        }
        return drop;
    }

    /**
     * For the first seed's BN networks: how far the statistics of the first recurrent layer's
     * output at single time steps (over test sequences, in inference mode) lie from the running
     * statistics BN normalizes every step with, averaged over the features: the mean's distance
     * in running standard deviations, and the step's standard deviation as a multiple of the
     * running one.
     */
    private static String perStepStatistics(List<History> histories, RunFolder out, TrainTest data) {
        List<History> firstSeedBn = Variants.byVariant(histories).entrySet().stream()
                .filter(e -> e.getKey().endsWith("_bn"))
                .map(e -> e.getValue().get(0))
                .filter(h -> h.status() == Status.DONE)
                .toList();
        if (firstSeedBn.isEmpty()) {
            return "";
        }
        List<String> headers = new ArrayList<>(List.of("model"));
        Arrays.stream(STEPS_SHOWN).forEach(step -> headers.add("step " + step));
        MarkdownTable table = MarkdownTable.of(headers);
        INDArray sequences = InputShape.SEQUENCE.arrange(data.test().getFeatures()
                .get(NDArrayIndex.interval(0, STATISTICS_EXAMPLES), NDArrayIndex.all()));
        for (History history : firstSeedBn) {
            MultiLayerNetwork network = ModelFiles.load(out.resolve("models/" + history.model() + ".zip"));
            Layer bn = network.getLayer(1);
            INDArray outputs = network.feedForwardToLayer(0, sequences, false).get(1).castTo(DataType.DOUBLE);
            INDArray runningMean = BnParameters.runningMean(bn).castTo(DataType.DOUBLE);
            INDArray runningSd = Transforms.sqrt(BnParameters.runningVariance(bn).castTo(DataType.DOUBLE)
                    .add(BnParameters.epsilon(bn)), false);
            List<String> cells = new ArrayList<>(List.of(history.model()));
            for (int step : STEPS_SHOWN) {
                INDArray atStep = outputs.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.point(step - 1));
                double shift = Transforms.abs(atStep.mean(0).subi(runningMean), false).divi(runningSd)
                        .meanNumber().doubleValue();
                double ratio = Transforms.sqrt(atStep.var(false, 0).addi(BnParameters.epsilon(bn)), false)
                        .divi(runningSd).meanNumber().doubleValue();
                cells.add(String.format(Locale.ROOT, "%.2f, %.2f", shift, ratio));
            }
            table.row(cells);
        }
        return String.format(Locale.ROOT, "BN's statistics against single time steps (%d test sequences, first seed): "
                + "|step mean - running mean| / running sd, and step sd / running sd, averaged over the features. "
                + "Both would be 0 and 1 if every step had the pooled statistics.%n%n", STATISTICS_EXAMPLES) + table;
    }
}
