package bnlab.advise;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayerWithBackprop;
import org.deeplearning4j.nn.conf.layers.recurrent.SimpleRnn;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * What the rules ask of a configuration's layers. Frozen layers are seen through their
 * wrapper: a frozen BatchNormalization is still a BatchNormalization.
 */
final class Layers {

    private Layers() {
    }

    static List<Layer> of(MultiLayerConfiguration configuration) {
        return IntStream.range(0, configuration.getConfs().size())
                .mapToObj(i -> configuration.getConf(i).getLayer())
                .toList();
    }

    static Layer unwrapped(Layer layer) {
        if (layer instanceof FrozenLayer frozen) {
            return unwrapped(frozen.getLayer());
        }
        if (layer instanceof FrozenLayerWithBackprop frozen) {
            return unwrapped(frozen.getUnderlying());
        }
        return layer;
    }

    /** Frozen layers do not train and run in inference mode (DL4J's FrozenLayer and FrozenLayerWithBackprop). */
    static boolean isFrozen(Layer layer) {
        return layer instanceof FrozenLayer || layer instanceof FrozenLayerWithBackprop;
    }

    static boolean isBatchNormalization(Layer layer) {
        return unwrapped(layer) instanceof BatchNormalization;
    }

    /** A BN that normalizes with batch statistics in training: one that is not frozen. */
    static boolean isTrainableBatchNormalization(Layer layer) {
        return isBatchNormalization(layer) && !isFrozen(layer);
    }

    /**
     * Normalizes its own output: BN, DL4J's layer-norm option of DenseLayer and SimpleRnn, or any
     * layer whose class name ends in Normalization, so that group or layer normalization layers
     * written outside DL4J count too.
     */
    static boolean isNormalization(Layer layer) {
        Layer inner = unwrapped(layer);
        return inner.getClass().getSimpleName().endsWith("Normalization")
                || inner instanceof DenseLayer dense && dense.hasLayerNorm()
                || inner instanceof SimpleRnn rnn && rnn.hasLayerNorm();
    }

    static boolean hasParameters(Layer layer) {
        Layer inner = unwrapped(layer);
        return inner.initializer().numParams(inner) > 0;
    }

    /** A layer that transforms with learned weights: Dense, convolution, recurrent, output... but not BN. */
    static boolean hasWeights(Layer layer) {
        return hasParameters(layer) && !isBatchNormalization(layer);
    }

    static boolean isOutputLayer(Layer layer) {
        return unwrapped(layer) instanceof BaseOutputLayer;
    }

    /**
     * The activation an ActivationLayer or a layer with weights applies; null for the layers in
     * between (BN, pooling, dropout...), which apply none.
     */
    static IActivation activation(Layer layer) {
        Layer inner = unwrapped(layer);
        if (inner instanceof ActivationLayer activationLayer) {
            return activationLayer.getActivationFn();
        }
        if (inner instanceof BaseLayer base && hasWeights(inner)) {
            return base.getActivationFn();
        }
        return null;
    }

    static boolean isNonlinear(IActivation activation) {
        return activation != null && !(activation instanceof ActivationIdentity);
    }

    /** The configuration class, with the frozen wrapper around it: "FrozenLayer(BatchNormalization)". */
    static String describe(Layer layer) {
        String type = unwrapped(layer).getClass().getSimpleName();
        return isFrozen(layer) ? layer.getClass().getSimpleName() + "(" + type + ")" : type;
    }

    /** "layer 4" or "layers 0, 4", for a finding's text. */
    static String indexes(List<Integer> indexes) {
        return (indexes.size() == 1 ? "layer " : "layers ")
                + indexes.stream().map(String::valueOf).collect(Collectors.joining(", "));
    }

    /** "layer 3 (DenseLayer)", for naming another layer in a finding's text. */
    static String named(int index, Layer layer) {
        return "layer " + index + " (" + describe(layer) + ")";
    }
}
