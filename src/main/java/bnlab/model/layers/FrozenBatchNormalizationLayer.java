package bnlab.model.layers;

import bnlab.model.BnParameters;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.wrapper.BaseWrapperLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastMulOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The layer {@link FrozenBatchNormalization} configures: a DL4J BatchNormalization that,
 * during the network's first {@code frozenEpochs} epochs, runs in inference mode in training too.
 * Inference mode computes y = gamma (x - mean) / sqrt(var + eps) + beta with the running mean and
 * variance, an affine function of x per channel, so the gradient it passes down is
 * dL/dx = dL/dy * gamma / sqrt(var + eps); and it reports zero gradients for its parameters, so
 * that the updater leaves gamma and beta, and DL4J's running-statistics update (sent through
 * the gradient), leaves the mean and variance as they are.
 */
final class FrozenBatchNormalizationLayer extends BaseWrapperLayer {

    private final int frozenEpochs;

    FrozenBatchNormalizationLayer(Layer batchNormalization, int frozenEpochs) {
        super(batchNormalization);
        this.frozenEpochs = frozenEpochs;
    }

    /** Whether the network is still in the epochs this BN stays frozen for. */
    boolean frozen() {
        return getEpochCount() < frozenEpochs;
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        return underlying.activate(training && !frozen(), workspaceMgr);
    }

    @Override
    public INDArray activate(INDArray input, boolean training, LayerWorkspaceMgr workspaceMgr) {
        return underlying.activate(input, training && !frozen(), workspaceMgr);
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        if (!frozen()) {
            return underlying.backpropGradient(epsilon, workspaceMgr);
        }
        INDArray next = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, epsilon.dataType(),
                epsilon.shape(), epsilon.ordering());
        Nd4j.getExecutioner().exec(new BroadcastMulOp(epsilon, scale().castTo(epsilon.dataType()), next,
                channelDimension(epsilon)));
        underlying.getGradientsViewArray().assign(0);
        return new Pair<>(new DefaultGradient(underlying.getGradientsViewArray()), next);
    }

    /** gamma / sqrt(var + eps) per channel, with the running variance. */
    private INDArray scale() {
        org.deeplearning4j.nn.conf.layers.BatchNormalization conf = configuration();
        INDArray std = Transforms.sqrt(BnParameters.runningVariance(underlying).add(conf.getEps()), false);
        return conf.isLockGammaBeta() ? std.rdivi(conf.getGamma()) : BnParameters.gamma(underlying).div(std);
    }

    private int channelDimension(INDArray activations) {
        return activations.rank() == 4 && configuration().getCnn2DFormat() == CNN2DFormat.NHWC ? 3 : 1;
    }

    private org.deeplearning4j.nn.conf.layers.BatchNormalization configuration() {
        return (org.deeplearning4j.nn.conf.layers.BatchNormalization) underlying.conf().getLayer();
    }
}
