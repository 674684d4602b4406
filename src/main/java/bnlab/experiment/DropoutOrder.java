package bnlab.experiment;

import bnlab.model.DropoutPlacement;
import bnlab.model.Mlp;
import bnlab.model.Normalization;
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
public final class DropoutOrder implements TutorialVariants {

    static final double RATE = 0.2;
    private static MultiLayerConfiguration network(long seed, DropoutPlacement dropout) {
        return Mlp.tutorial(seed).withNormalization(Normalization.BATCH).withDropout(dropout, RATE).configuration();
    }

    @Override
    public String claim() {
        return "With both, place dropout after batch normalization and the activation (Dense -> BN -> activation "
                + "-> Dropout), not between the layer and BN.";
    }

    @Override
    public Map<String, LongFunction<MultiLayerConfiguration>> variants() {
        Map<String, LongFunction<MultiLayerConfiguration>> variants = new LinkedHashMap<>();
        variants.put("bn_act_dropout", seed -> network(seed, DropoutPlacement.AFTER_ACTIVATION));
        variants.put("dropout_bn_act", seed -> network(seed, DropoutPlacement.BEFORE_BN));
        variants.put("bn_act", seed -> network(seed, DropoutPlacement.NONE));
        return variants;
    }

    @Override
    public Findings findings(Plan plan, Results results, RunFolder out) {
        List<History> histories = results.histories();
        out.writePng("dropout.png", Variants.validationCurves(histories));
        Verdict verdict = Variants.higherFinalAccuracy("dropout after BN and its activation beats dropout before BN",
                Variants.finalFigure(histories, EpochRecord::valAccuracy), "bn_act_dropout", "dropout_bn_act");
        return new Findings(verdict, Variants.table(histories) + "\nDropout rate " + RATE
                + " (probability of dropping; DL4J DropoutLayer(" + (1 - RATE) + ")).\n\n![dropout](dropout.png)\n");
    }
}
