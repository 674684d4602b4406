package bnlab.advise;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayerWithBackprop;

import java.util.ArrayList;
import java.util.List;

/**
 * A BN frozen with FrozenLayerWithBackprop that backpropagation reaches (no FrozenLayer above
 * it). In DL4J 1.0.0-M2.1 the frozen BN runs forward with its running statistics, but its
 * backward pass is the training-mode one, and with workspaces (the default) the first fit fails
 * (AdviseDl4jFactsTest pins both).
 */
final class FrozenBnWithBackprop implements Rule {

    static final String ID = "frozen-bn-with-backprop";

    @Override
    public List<Finding> check(MultiLayerConfiguration configuration) {
        List<Layer> layers = Layers.of(configuration);
        List<Finding> findings = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            if (layers.get(i) instanceof FrozenLayerWithBackprop && Layers.isBatchNormalization(layers.get(i))
                    && TrainableBnBelowFrozenLayer.frozenLayerAbove(layers, i) < 0) {
                findings.add(Finding.at(i, layers.get(i), ID,
                        "This BN is frozen with FrozenLayerWithBackprop, which DL4J 1.0.0-M2.1 cannot train through.",
                        "The frozen BN normalizes with its running statistics, as frozen layers run in inference "
                                + "mode, but its backward pass is the training-mode one, which treats mean and "
                                + "variance as statistics of the batch: the gradient it passes down does not match "
                                + "the forward pass. With workspaces enabled, DL4J's default, the first fit fails "
                                + "with an 'outdated workspace pointer' error.",
                        "Freeze whole feature extractors instead (TransferLearning.Builder.setFeatureExtractor, "
                                + "which uses FrozenLayer), so that nothing below this BN trains, or leave this BN "
                                + "trainable."));
            }
        }
        return findings;
    }
}
