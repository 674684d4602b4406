package bnlab.advise;

import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;

import java.util.ArrayList;
import java.util.List;

/**
 * Gradient normalization or clipping in effect on a trainable BN layer. DL4J updates BN's
 * running mean and variance through the gradient: their "gradient" is the update itself,
 * (1 - decay)(running - batch), applied with a NoOp updater. DL4J keeps these updates out of
 * the division by the batch size, but GradientNormalization (BaseMultiLayerUpdater.preApply)
 * acts on the layer's whole gradient and so rescales or clips them too. A network-wide setting
 * reaches every layer that does not set its own.
 */
final class GradientNormalizationOnBn implements Rule {

    static final String ID = "gradient-normalization-on-bn";

    @Override
    public List<Finding> check(MultiLayerConfiguration configuration) {
        List<Layer> layers = Layers.of(configuration);
        List<Finding> findings = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            if (!Layers.isTrainableBatchNormalization(layers.get(i))) {
                continue;
            }
            BaseLayer bn = (BaseLayer) Layers.unwrapped(layers.get(i));
            GradientNormalization normalization = bn.getGradientNormalization();
            if (normalization != null && normalization != GradientNormalization.None) {
                findings.add(Finding.at(i, layers.get(i), ID,
                        "GradientNormalization." + normalization + " applies to this BN layer.",
                        "DL4J updates BN's running mean and variance through the gradient, so "
                                + normalization + " " + (normalization.name().startsWith("Renormalize")
                                ? "rescales their updates on every step" : "clips their updates whenever the "
                                + "threshold is reached, which happens early in training and after data shifts")
                                + ": the running statistics used at inference then stop tracking the data.",
                        "Set .gradientNormalization(GradientNormalization.None) on this BatchNormalization's "
                                + "builder; a layer's own setting overrides the network-wide one, and bnlab's BN "
                                + "layers do this."));
            }
        }
        return findings;
    }
}
