package bnlab.advise;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.nd4j.linalg.activations.IActivation;

import java.util.ArrayList;
import java.util.List;

/**
 * BN normalizing the output of an activation instead of the input to it. Flags a BN whose
 * nearest earlier layer that has parameters or an activation (pooling and dropout are looked
 * past) applies a nonlinear activation.
 */
final class BnAfterActivation implements Rule {

    static final String ID = "bn-after-activation";

    @Override
    public List<Finding> check(MultiLayerConfiguration configuration) {
        List<Layer> layers = Layers.of(configuration);
        List<Finding> findings = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            int source = source(layers, i);
            if (!Layers.isBatchNormalization(layers.get(i)) || source < 0) {
                continue;
            }
            IActivation activation = Layers.activation(layers.get(source));
            if (Layers.isNonlinear(activation)) {
                findings.add(Finding.at(i, layers.get(i), ID,
                        "BN normalizes the output of the " + activation + " activation of "
                                + Layers.named(source, layers.get(source)) + ".",
                        "Ioffe and Szegedy, and the tutorial, normalize the pre-activation (the Dense or convolution "
                                + "output), so that the activation receives inputs with a stable mean and variance. "
                                + "After the activation, BN normalizes an already-transformed distribution (after "
                                + "a ReLU, about half zeros); bnlab's placement experiment measures the difference.",
                        fix(source, layers.get(source), activation)));
            }
        }
        return findings;
    }

    /** The nearest layer before {@code i} with parameters or an activation, or -1. */
    private static int source(List<Layer> layers, int i) {
        for (int j = i - 1; j >= 0; j--) {
            if (Layers.hasParameters(layers.get(j)) || Layers.activation(layers.get(j)) != null) {
                return j;
            }
        }
        return -1;
    }

    private static String fix(int source, Layer layer, IActivation activation) {
        if (Layers.unwrapped(layer) instanceof ActivationLayer) {
            return "Move the ActivationLayer of layer " + source + " after this BN.";
        }
        return "Give layer " + source + " .activation(Activation.IDENTITY) and put an ActivationLayer with its "
                + activation + " right after this BN: layer -> BN -> activation.";
    }
}
