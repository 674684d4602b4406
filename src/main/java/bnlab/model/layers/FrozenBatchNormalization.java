package bnlab.model.layers;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.wrapper.BaseWrapperLayer;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.IUpdater;

import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * A BatchNormalization frozen for the first {@code frozenEpochs} epochs of training, an
 * ordinary one after. While frozen it runs in inference mode, as Keras's frozen BN does: it
 * normalizes with its running mean and variance and updates neither them nor gamma and beta,
 * but unlike DL4J's FrozenLayer it passes gradients on to the layers below, so they keep
 * training. DL4J's FrozenLayerWithBackprop means to do the same but cannot train through a BN in
 * 1.0.0-M2.1: its backward pass is BN's training-mode one, which does not match the
 * inference-mode forward pass.
 *
 * <p>The parameters are the wrapped BN's own, so a network's parameters carry over between a
 * configuration with this layer and one with the plain BN. The epoch is the network's epoch
 * count, which checkpoints keep, so a resumed run unfreezes at the same epoch.
 */
public final class FrozenBatchNormalization extends BaseWrapperLayer {

    private int frozenEpochs;

    /** For DL4J's JSON deserialization. */
    private FrozenBatchNormalization() {
    }

    public FrozenBatchNormalization(BatchNormalization batchNormalization, int frozenEpochs) {
        super(batchNormalization);
        if (frozenEpochs <= 0) {
            throw new IllegalArgumentException("frozen epochs must be positive, was " + frozenEpochs);
        }
        this.frozenEpochs = frozenEpochs;
        setLayerName(batchNormalization.getLayerName());
    }

    /**
     * The same network with every BatchNormalization layer frozen for its first
     * {@code frozenEpochs} epochs; layers already wrapped (in FrozenLayer, say) stay as they are.
     */
    public static MultiLayerConfiguration freezeBatchNormalization(MultiLayerConfiguration configuration,
                                                                   int frozenEpochs) {
        MultiLayerConfiguration frozen = configuration.clone();
        for (NeuralNetConfiguration layer : frozen.getConfs()) {
            if (layer.getLayer() instanceof BatchNormalization bn) {
                layer.setLayer(new FrozenBatchNormalization(bn, frozenEpochs));
            }
        }
        return frozen;
    }

    public int getFrozenEpochs() {
        return frozenEpochs;
    }

    public void setFrozenEpochs(int frozenEpochs) {
        this.frozenEpochs = frozenEpochs;
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf,
                                                       Collection<TrainingListener> trainingListeners, int layerIndex,
                                                       INDArray layerParamsView, boolean initializeParams,
                                                       DataType networkDataType) {
        NeuralNetConfiguration inner = conf.clone();
        inner.setLayer(underlying);
        org.deeplearning4j.nn.api.Layer bn = underlying.instantiate(inner, trainingListeners, layerIndex,
                layerParamsView, initializeParams, networkDataType);
        // As DL4J's own wrappers do: the network finds the parameter names in the outer configuration.
        List<String> variables = bn.conf().variables(true);
        bn.conf().clearVariables();
        conf.clearVariables();
        for (String variable : variables) {
            conf.variables(false).add(variable);
            bn.conf().variables(false).add(variable);
        }
        return new FrozenBatchNormalizationLayer(bn, frozenEpochs);
    }

    /** The wrapped BN's updaters: they see zero gradients while it is frozen, and train it after. */
    @Override
    public IUpdater getUpdaterByParam(String paramName) {
        return underlying.getUpdaterByParam(paramName);
    }

    @Override
    public Layer clone() {
        FrozenBatchNormalization clone = (FrozenBatchNormalization) super.clone();
        clone.underlying = underlying.clone();
        return clone;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FrozenBatchNormalization other && frozenEpochs == other.frozenEpochs
                && Objects.equals(underlying, other.underlying);
    }

    @Override
    public int hashCode() {
        return Objects.hash(underlying, frozenEpochs);
    }

    @Override
    public String toString() {
        return "FrozenBatchNormalization(" + underlying + ", frozenEpochs=" + frozenEpochs + ")";
    }
}
