package bnlab.experiment;

import bnlab.data.DataSettings;
import bnlab.data.KnownDataset;
import bnlab.data.TrainTest;
import bnlab.model.Cnn;
import bnlab.model.Normalization;
import bnlab.report.Charts;
import bnlab.report.RunFolder;
import bnlab.train.EpochRecord;
import bnlab.train.History;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;

/**
 * "Batch normalization helps convolutional networks." The tutorial's CNN with BN after each
 * convolution and the dense layer, against the same CNN without.
 *
 * <p>The quick version trains about 1000 steps: BN's running statistics (decay 0.99) keep
 * 0.99^steps of their initial variance of 1, and a first convolution's outputs here vary by
 * only ~0.01, so fewer steps leave inference normalizing with far too large a variance.
 */
public final class Convolutional implements Experiment {

    @Override
    public String claim() {
        return "Batch normalization helps convolutional networks train faster and generalize better.";
    }

    @Override
    public ExperimentSettings defaults() {
        return new ExperimentSettings(DataSettings.mnist(), 5, 32, 3, false);
    }

    @Override
    public ExperimentSettings quick() {
        return new ExperimentSettings(new DataSettings(KnownDataset.MNIST, null, 16000), 2, 32, 1, true);
    }

    @Override
    public Plan plan(ExperimentSettings settings, TrainTest data) {
        Map<String, LongFunction<MultiLayerConfiguration>> variants = new LinkedHashMap<>();
        variants.put("cnn", seed -> Cnn.tutorial(seed).configuration());
        variants.put("cnn_bn", seed -> Cnn.tutorial(seed).withNormalization(Normalization.BATCH).configuration());
        return new Plan(settings, data, Variants.runs(settings, variants));
    }

    @Override
    public Findings findings(Plan plan, Results results, RunFolder out) {
        List<History> histories = results.histories();
        out.writePng("cnn.png", Charts.sideBySide(
                Variants.meanCurves("Validation accuracy", histories, EpochRecord::valAccuracy),
                Variants.meanCurves("Training loss", histories, EpochRecord::trainLoss)));
        Map<String, SeedStatistics> accuracy = Variants.finalFigure(histories, EpochRecord::valAccuracy);
        Map<String, SeedStatistics> firstEpoch = Variants.figureAfterEpoch(histories, 1, EpochRecord::valAccuracy);
        List<Verdict> verdict = List.of(
                Variants.higherFinalAccuracy("generalizes better", accuracy, "cnn_bn", "cnn"),
                new Verdict("trains faster", Comparison.of("validation accuracy after epoch 1", true, "cnn_bn",
                        firstEpoch.get("cnn_bn"), "cnn", firstEpoch.get("cnn"))));
        return new Findings(verdict, Variants.table(histories) + "\n![cnn](cnn.png)\n");
    }
}
