package bnlab.experiment;

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
 * "Batch normalization works better before the activation than after it." The tutorial's MLP
 * three ways: Dense -> BN -> ReLU (the tutorial's), Dense -> ReLU -> BN, and without BN.
 */
public final class Placement implements TutorialVariants {

    @Override
    public String claim() {
        return "Batch normalization works better before the activation than after it.";
    }

    @Override
    public Map<String, LongFunction<MultiLayerConfiguration>> variants() {
        Map<String, LongFunction<MultiLayerConfiguration>> variants = new LinkedHashMap<>();
        variants.put("bn_before", seed -> Mlp.tutorial(seed).withNormalization(Normalization.BATCH).configuration());
        variants.put("bn_after", seed -> Mlp.tutorial(seed).withNormalization(Normalization.BATCH_AFTER_ACTIVATION)
                .configuration());
        variants.put("no_bn", seed -> Mlp.tutorial(seed).configuration());
        return variants;
    }

    @Override
    public Findings findings(Plan plan, Results results, RunFolder out) {
        List<History> histories = results.histories();
        out.writePng("placement.png", Variants.validationCurves(histories));
        Verdict verdict = Variants.higherFinalAccuracy("BN before the activation beats BN after it",
                Variants.finalFigure(histories, EpochRecord::valAccuracy), "bn_before", "bn_after");
        return new Findings(verdict, Variants.table(histories) + "\n![placement](placement.png)\n");
    }
}
