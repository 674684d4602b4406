package bnlab.experiment;

import bnlab.data.DataSettings;
import bnlab.data.KnownDataset;
import bnlab.data.TrainTest;
import bnlab.model.Normalization;
import bnlab.model.Rnn;
import bnlab.report.Charts;
import bnlab.report.MarkdownTable;
import bnlab.report.RunFolder;
import bnlab.train.EpochRecord;
import bnlab.train.History;
import bnlab.train.Status;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;

import java.util.LinkedHashMap;
import java.util.List;
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
                + "\n" + TimeStepStatistics.table(histories, out, data) + "\n![recurrent](recurrent.png)\n\n" + WHY;
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
}
