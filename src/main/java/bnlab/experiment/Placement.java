package bnlab.experiment;

import bnlab.data.DataSettings;
import bnlab.data.KnownDataset;
import bnlab.model.BnPlacement;
import bnlab.model.Mlp;
import bnlab.report.Charts;
import bnlab.report.RunFolder;
import bnlab.train.EpochRecord;
import bnlab.train.History;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * "Batch normalization works better before the activation than after it." The tutorial's MLP
 * three ways: Dense -> BN -> ReLU (the tutorial's), Dense -> ReLU -> BN, and without BN.
 */
public final class Placement implements Experiment {

    static final Map<String, BnPlacement> VARIANTS = new LinkedHashMap<>();

    static {
        VARIANTS.put("bn_before", BnPlacement.BEFORE_ACTIVATION);
        VARIANTS.put("bn_after", BnPlacement.AFTER_ACTIVATION);
        VARIANTS.put("no_bn", BnPlacement.NONE);
    }

    @Override
    public String claim() {
        return "Batch normalization works better before the activation than after it.";
    }

    @Override
    public ExperimentSettings defaults() {
        return new ExperimentSettings(DataSettings.mnist(), 10, 32, 3, false);
    }

    @Override
    public ExperimentSettings quick() {
        return new ExperimentSettings(new DataSettings(KnownDataset.MNIST, null, 5000), 3, 32, 2, true);
    }

    @Override
    public List<Runner.Run> runs(ExperimentSettings settings) {
        List<Runner.Run> runs = new ArrayList<>();
        for (long seed : settings.seedList()) {
            VARIANTS.forEach((variant, placement) -> runs.add(new Runner.Run(Variants.runName(variant, seed),
                    Mlp.tutorial(seed).withBatchNorm(placement).configuration(), settings.training(seed))));
        }
        return runs;
    }

    @Override
    public Findings findings(List<History> histories, ExperimentSettings settings, RunFolder out) {
        out.writePng("placement.png", Charts.sideBySide(
                Variants.meanCurves("Validation accuracy", histories, EpochRecord::valAccuracy),
                Variants.meanCurves("Validation loss", histories, EpochRecord::valLoss)));
        Map<String, SeedStatistics> accuracy = Variants.finalFigure(histories, EpochRecord::valAccuracy);
        String verdict = Comparison.claim("final validation accuracy", true,
                "bn_before", accuracy.get("bn_before"), "bn_after", accuracy.get("bn_after"));
        return new Findings(verdict, Variants.table(histories) + "\n![placement](placement.png)\n");
    }
}
