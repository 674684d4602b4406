package bnlab.advise;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayer;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * A BN frozen with FrozenLayer while layers with parameters below it are still trainable: the
 * way one would follow "freeze BN when fine-tuning" layer by layer. MultiLayerNetwork stops
 * backpropagation at the first FrozenLayer from the output, so those layers never learn.
 * Flagged at that first FrozenLayer only, when it is a BN.
 */
final class FrozenBnAboveTrainableLayers implements Rule {

    static final String ID = "frozen-bn-above-trainable-layers";

    @Override
    public List<Finding> check(MultiLayerConfiguration configuration) {
        List<Layer> layers = Layers.of(configuration);
        List<Finding> findings = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            boolean stopsBackprop = layers.get(i) instanceof FrozenLayer
                    && TrainableBnBelowFrozenLayer.frozenLayerAbove(layers, i) < 0;
            List<Integer> starved = IntStream.range(0, i)
                    .filter(j -> Layers.hasParameters(layers.get(j)) && !Layers.isFrozen(layers.get(j)))
                    .boxed().toList();
            if (stopsBackprop && Layers.isBatchNormalization(layers.get(i)) && !starved.isEmpty()) {
                findings.add(Finding.at(i, layers.get(i), ID,
                        "FrozenLayer around this BN stops backpropagation, so no gradient reaches trainable "
                                + Layers.indexes(starved) + " below it.",
                        "DL4J stops backpropagation at the first FrozenLayer from the output: the layers below it "
                                + "keep their weights however long you train.",
                        "Freeze the layers below this BN too (TransferLearning.Builder.setFeatureExtractor(" + i
                                + ")), or leave this BN trainable. FrozenLayerWithBackprop would let gradients "
                                + "through, but it is broken for BN in DL4J 1.0.0-M2.1 (see "
                                + FrozenBnWithBackprop.ID + ")."));
            }
        }
        return findings;
    }
}
