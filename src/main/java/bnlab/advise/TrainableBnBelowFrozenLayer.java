package bnlab.advise;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayer;

import java.util.ArrayList;
import java.util.List;

/**
 * A trainable BN below a FrozenLayer. MultiLayerNetwork stops backpropagation at the first
 * FrozenLayer from the output (calcBackpropGradients), so nothing below it gets a gradient.
 * A trainable BN below FrozenLayerWithBackprop layers does get one (training only the BN layers
 * of a frozen network is a known technique) and is not flagged; nor is a trainable BN after a
 * frozen feature extractor, which re-estimates its statistics on the new data.
 */
final class TrainableBnBelowFrozenLayer implements Rule {

    static final String ID = "trainable-bn-below-frozen-layer";

    @Override
    public List<Finding> check(MultiLayerConfiguration configuration) {
        List<Layer> layers = Layers.of(configuration);
        List<Finding> findings = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            int frozen = frozenLayerAbove(layers, i);
            if (Layers.isTrainableBatchNormalization(layers.get(i)) && frozen >= 0) {
                findings.add(Finding.at(i, layers.get(i), ID,
                        "This BN is trainable, but " + Layers.named(frozen, layers.get(frozen))
                                + " above it stops backpropagation.",
                        "DL4J stops backpropagation at the first FrozenLayer from the output, so this BN gets "
                                + "no gradient: gamma and beta stay as they are, and so do the running mean and "
                                + "variance, which DL4J updates through the gradient. Yet as a trainable layer it "
                                + "normalizes with batch statistics in training and with the old running statistics "
                                + "at inference, so the two disagree, and the frozen layers above it see inputs they "
                                + "were not trained on.",
                        "Freeze this BN as well: wrap it in FrozenLayer, or with TransferLearning.Builder give "
                                + "setFeatureExtractor the index of the last layer to freeze, which freezes every "
                                + "layer up to it."));
            }
        }
        return findings;
    }

    /** The nearest FrozenLayer (not FrozenLayerWithBackprop) after {@code i}, or -1. */
    static int frozenLayerAbove(List<Layer> layers, int i) {
        for (int j = i + 1; j < layers.size(); j++) {
            if (layers.get(j) instanceof FrozenLayer) {
                return j;
            }
        }
        return -1;
    }
}
