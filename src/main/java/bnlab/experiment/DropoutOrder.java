package bnlab.experiment;

import bnlab.data.TrainTest;
import bnlab.model.DropoutPlacement;
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
 * "Put dropout after BN and the activation, not before BN." The tutorial's MLP with BN and
 * dropout at rate 0.2 (Keras's convention: the probability of dropping; DL4J's DropoutLayer
 * takes the probability of keeping, 0.8) in two orders, beside BN alone. Dropout before BN
 * makes BN's batch statistics in training differ from what inference sees (Li et al., 2019,
 * "variance shift").
 */
public final class DropoutOrder implements Experiment {

    static final double RATE = 0.2;
    static final Map<String, LongFunction<MultiLayerConfiguration>> VARIANTS = new LinkedHashMap<>();

    static {
        VARIANTS.put("bn_act_dropout", seed -> network(seed, DropoutPlacement.AFTER_ACTIVATION));
        VARIANTS.put("dropout_bn_act", seed -> network(seed, DropoutPlacement.BEFORE_BN));
        VARIANTS.put("bn_act", seed -> network(seed, DropoutPlacement.NONE));
    }

    private static MultiLayerConfiguration network(long seed, DropoutPlacement dropout) {
        return Mlp.tutorial(seed).withNormalization(Normalization.BATCH).withDropout(dropout, RATE).configuration();
    }

    @Override
    public String claim() {
        return "With both, place dropout after batch normalization and the activation (Dense -> BN -> activation "
                + "-> Dropout), not between the layer and BN.";
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
        out.writePng("dropout.png", Charts.sideBySide(
                Variants.meanCurves("Validation accuracy", histories, EpochRecord::valAccuracy),
                Variants.meanCurves("Validation loss", histories, EpochRecord::valLoss)));
        Map<String, SeedStatistics> accuracy = Variants.finalFigure(histories, EpochRecord::valAccuracy);
        Verdict verdict = new Verdict("dropout after BN and its activation beats dropout before BN", Comparison.of(
                "final validation accuracy", true, "bn_act_dropout", accuracy.get("bn_act_dropout"), "dropout_bn_act",
                accuracy.get("dropout_bn_act")));
        return new Findings(verdict, Variants.table(histories) + "\nDropout rate " + RATE
                + " (probability of dropping; DL4J DropoutLayer(" + (1 - RATE) + ")).\n\n![dropout](dropout.png)\n");
    }
}
