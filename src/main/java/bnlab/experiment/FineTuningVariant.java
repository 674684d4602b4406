package bnlab.experiment;

import bnlab.model.FineTuning;
import bnlab.model.layers.FrozenBatchNormalization;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.transferlearning.TransferLearning;

import java.util.Locale;

/** The transfer experiment's ways of fine-tuning: what each freezes, and with which mechanism. */
enum FineTuningVariant {
    BN_FROZEN_FIRST("every BN layer frozen for the first " + Transfer.FROZEN_EPOCHS + " epoch(s), then trainable; all "
            + "other layers trainable from the start. FrozenBatchNormalization: inference mode (running "
            + "statistics), gamma, beta and the running statistics fixed, gradients passed to the layers below") {
        @Override
        MultiLayerNetwork fineTunable(MultiLayerNetwork pretrained, long seed, int epochs) {
            return withFrozenBatchNormalization(newHead(pretrained, seed).build(), Transfer.FROZEN_EPOCHS);
        }
    },
    ALL_TRAINABLE("every layer trainable from the start: BN normalizes with batch statistics and its running "
            + "statistics move towards the new classes' (TransferLearning with nothing frozen)") {
        @Override
        MultiLayerNetwork fineTunable(MultiLayerNetwork pretrained, long seed, int epochs) {
            return newHead(pretrained, seed).build();
        }
    },
    BN_FROZEN("every BN layer frozen for all epochs, all other layers trainable: FrozenBatchNormalization, "
            + "as in bn_frozen_first, never unfrozen") {
        @Override
        MultiLayerNetwork fineTunable(MultiLayerNetwork pretrained, long seed, int epochs) {
            return withFrozenBatchNormalization(newHead(pretrained, seed).build(), epochs);
        }
    },
    FEATURES_FROZEN("every layer but the new head frozen, BN included: TransferLearning.setFeatureExtractor, "
            + "which wraps them in DL4J's FrozenLayer (inference mode, no updates, no gradient below the head)") {
        @Override
        MultiLayerNetwork fineTunable(MultiLayerNetwork pretrained, long seed, int epochs) {
            return newHead(pretrained, seed).setFeatureExtractor(FineTuning.lastHiddenLayer(pretrained)).build();
        }
    };

    final String freezes;

    FineTuningVariant(String freezes) {
        this.freezes = freezes;
    }

    /** The network this variant fine-tunes, built from {@code pretrained} with a new head for the target classes. */
    abstract MultiLayerNetwork fineTunable(MultiLayerNetwork pretrained, long seed, int epochs);

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }

    private static TransferLearning.Builder newHead(MultiLayerNetwork pretrained, long seed) {
        return FineTuning.newHead(pretrained, Transfer.TARGET.size(), seed);
    }

    private static MultiLayerNetwork withFrozenBatchNormalization(MultiLayerNetwork network, int epochs) {
        return new MultiLayerNetwork(FrozenBatchNormalization.freezeBatchNormalization(
                network.getLayerWiseConfigurations(), epochs), network.params());
    }
}
