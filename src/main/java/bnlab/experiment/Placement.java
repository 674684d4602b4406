package bnlab.experiment;

import bnlab.data.TrainTest;
import bnlab.model.Mlp;
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
 * "Batch normalization works better before the activation than after it." The tutorial's MLP
 * three ways: Dense -> BN -> ReLU (the tutorial's), Dense -> ReLU -> BN, and without BN.
 */
public final class Placement implements Experiment {

    static final Map<String, LongFunction<MultiLayerConfiguration>> VARIANTS = new LinkedHashMap<>();

    static {
        VARIANTS.put("bn_before", seed -> Mlp.tutorial(seed).withNormalization(Normalization.BATCH).configuration());
        VARIANTS.put("bn_after", seed -> Mlp.tutorial(seed).withNormalization(Normalization.BATCH_AFTER_ACTIVATION).configuration());
        VARIANTS.put("no_bn", seed -> Mlp.tutorial(seed).configuration());
    }

    @Override
    public String claim() {
        return "Batch normalization works better before the activation than after it.";
    }

    @Override
    public ExperimentSettings defaults() {
        return ExperimentSettings.tutorial();
    }

    @Override
    public ExperimentSettings quick() {
        return ExperimentSettings.tutorialQuick();
    }

    @Override
    public Plan plan(ExperimentSettings settings, TrainTest data) {
        return new Plan(settings, data, Variants.runs(settings, VARIANTS));
    }

    @Override
    public Findings findings(Plan plan, List<History> histories, RunFolder out) {
        out.writePng("placement.png", Charts.sideBySide(
                Variants.meanCurves("Validation accuracy", histories, EpochRecord::valAccuracy),
                Variants.meanCurves("Validation loss", histories, EpochRecord::valLoss)));
        Map<String, SeedStatistics> accuracy = Variants.finalFigure(histories, EpochRecord::valAccuracy);
        Verdict verdict = new Verdict("BN before the activation beats BN after it", Comparison.of(
                "final validation accuracy", true, "bn_before", accuracy.get("bn_before"), "bn_after",
                accuracy.get("bn_after")));
        return new Findings(verdict, Variants.table(histories) + "\n![placement](placement.png)\n");
    }
}
