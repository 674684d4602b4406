package bnlab.experiment;

import bnlab.model.BnPlacement;
import bnlab.model.Mlp;

/** The tutorial's two MLPs, named as in results: without BN, and with BN before each hidden activation. */
enum TutorialMlp {

    MLP(BnPlacement.NONE),
    MLP_BN(BnPlacement.BEFORE_ACTIVATION);

    private final BnPlacement batchNorm;

    TutorialMlp(BnPlacement batchNorm) {
        this.batchNorm = batchNorm;
    }

    Mlp withSeed(long seed) {
        return Mlp.tutorial(seed).withBatchNorm(batchNorm);
    }

    @Override
    public String toString() {
        return name().toLowerCase();
    }
}
