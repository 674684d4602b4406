package bnlab.advise;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.dropout.AlphaDropout;
import org.deeplearning4j.nn.conf.dropout.IDropout;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.Layer;

import java.util.ArrayList;
import java.util.List;

/**
 * A DropoutLayer whose output reaches a BN with no layer with weights in between (activations
 * and pooling are looked past). Dropout feeding a Dense or convolution layer that BN then
 * normalizes is the tutorial's own block order (Dense -> BN -> activation -> Dropout, repeated)
 * and is not flagged. AlphaDropout keeps mean and variance by design and is not flagged either.
 */
final class DropoutBeforeBn implements Rule {

    static final String ID = "dropout-before-bn";

    @Override
    public List<Finding> check(MultiLayerConfiguration configuration) {
        List<Layer> layers = Layers.of(configuration);
        List<Finding> findings = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            IDropout dropout = Layers.unwrapped(layers.get(i)).getIDropout();
            boolean dropsUnits = Layers.unwrapped(layers.get(i)) instanceof DropoutLayer && dropout != null
                    && !(dropout instanceof AlphaDropout);
            int bn = dropsUnits ? nextLayerWithParameters(layers, i) : -1;
            if (bn >= 0 && Layers.isBatchNormalization(layers.get(bn))) {
                findings.add(Finding.at(i, layers.get(i), ID,
                        "Dropout feeds the BN of " + Layers.named(bn, layers.get(bn)) + ".",
                        "Dropout changes the variance of what it passes on between training (units dropped, the "
                                + "rest scaled up) and inference (nothing dropped). The BN after it learns its running "
                                + "variance from the training-time variance, so at inference it normalizes with the "
                                + "wrong one (the variance shift of Li et al., 2019).",
                        "Move the dropout after the BN and the activation: Dense -> BN -> activation -> "
                                + "DropoutLayer, as the tutorial does."));
            }
        }
        return findings;
    }

    private static int nextLayerWithParameters(List<Layer> layers, int i) {
        for (int j = i + 1; j < layers.size(); j++) {
            if (Layers.hasParameters(layers.get(j))) {
                return j;
            }
        }
        return -1;
    }
}
