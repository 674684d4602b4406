package bnlab.experiment;

import bnlab.model.Mlp;
import bnlab.model.Normalization;

/** The tutorial's two MLPs, named as in results: without BN, and with BN before each hidden activation. */
enum TutorialMlp {

    MLP(Normalization.NONE),
    MLP_BN(Normalization.BATCH);

    private final Normalization normalization;

    TutorialMlp(Normalization normalization) {
        this.normalization = normalization;
    }

    Mlp withSeed(long seed) {
        return Mlp.tutorial(seed).withNormalization(normalization);
    }

    @Override
    public String toString() {
        return name().toLowerCase();
    }
}
