package bnlab.advise;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.conf.dropout.IDropout;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.Layer;

import java.util.ArrayList;
import java.util.List;

/**
 * dropOut set on a BatchNormalization or ActivationLayer. DL4J applies a layer's dropOut to
 * that layer's input inside the layer's own forward pass; in 1.0.0-M2.1 neither of these two
 * layers does it, so the setting is silently ignored (AdviseDl4jFactsTest pins this).
 */
final class IgnoredDropout implements Rule {

    static final String ID = "ignored-dropout";

    @Override
    public List<Finding> check(MultiLayerConfiguration configuration) {
        List<Layer> layers = Layers.of(configuration);
        List<Finding> findings = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            Layer layer = Layers.unwrapped(layers.get(i));
            IDropout dropout = layer.getIDropout();
            if (dropout != null && (Layers.isBatchNormalization(layer) || layer instanceof ActivationLayer)) {
                findings.add(Finding.at(i, layers.get(i), ID,
                        describe(dropout) + " is set on this " + layer.getClass().getSimpleName()
                                + ", which never applies it.",
                        "DL4J drops a layer's input inside that layer's forward pass, and BatchNormalization and "
                                + "ActivationLayer do not do it, so training runs without this dropout. A "
                                + "network-wide dropOut on NeuralNetConfiguration.Builder is copied onto these layers "
                                + "too. Note that DL4J's dropOut(p) takes the probability of keeping an activation, "
                                + "not of dropping it.",
                        "Remove it from this layer. To drop activations, add a DropoutLayer after the activation "
                                + "(Dense -> BN -> activation -> DropoutLayer) or set dropOut on the next Dense or "
                                + "convolution layer, which drops its input."));
            }
        }
        return findings;
    }

    static String describe(IDropout dropout) {
        return dropout instanceof Dropout d && d.getPSchedule() == null
                ? "dropOut(" + d.getP() + ") (keep probability " + d.getP() + ")"
                : "dropOut(" + dropout.getClass().getSimpleName() + ")";
    }
}
