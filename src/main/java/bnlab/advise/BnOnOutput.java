package bnlab.advise;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.layers.Layer;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * BN on the network's output: a BN with no layer with weights after it, so that it normalizes
 * the logits themselves (in DL4J, Dense -> BN -> LossLayer or -> ActivationLayer(softmax)).
 * A BN feeding an OutputLayer normalizes that layer's input like any hidden BN, and is judged
 * by where it sits relative to the activation instead.
 */
final class BnOnOutput implements Rule {

    static final String ID = "bn-on-output";

    @Override
    public List<Finding> check(MultiLayerConfiguration configuration) {
        List<Layer> layers = Layers.of(configuration);
        List<Finding> findings = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            boolean weightsAfter = IntStream.range(i + 1, layers.size())
                    .anyMatch(j -> Layers.hasWeights(layers.get(j)));
            if (Layers.isBatchNormalization(layers.get(i)) && !weightsAfter) {
                findings.add(Finding.at(i, layers.get(i), ID,
                        "BN normalizes the network's output: no layer with weights follows it.",
                        "The output's scale carries the model's confidence; normalizing it ties that scale to "
                                + "BN's gamma and, in training, makes each prediction depend on the other examples "
                                + "in the batch. The tutorial keeps BN on hidden layers only.",
                        "Remove this BN; end the network with the output layer's own activation (for example "
                                + "OutputLayer with softmax)."));
            }
        }
        return findings;
    }
}
