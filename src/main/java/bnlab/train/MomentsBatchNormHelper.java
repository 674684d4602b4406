package bnlab.train;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNBatchNormHelper;
import org.deeplearning4j.nn.layers.normalization.BatchNormalizationHelper;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Map;
import java.util.stream.IntStream;

/**
 * DL4J's oneDNN helper for BatchNormalization layers ({@code MKLDNNBatchNormHelper}) with one
 * change for convolutional activations ([N, C, H, W] or [N, H, W, C]): in training, the batch's
 * mean and variance come from libnd4j's {@code moments} op, one native call that is several times
 * faster than the mean and Variance ops DL4J's helper runs (those took 15% of {@code cnn_bn}'s
 * training). Forward and backward passes are libnd4j's {@code batchnorm} and
 * {@code batchnorm_bp} ops, as in DL4J's helper, which this one cannot extend (it keeps the batch
 * statistics private). Dense activations go to DL4J's helper as they are: no measurement showed
 * the {@code moments} op faster there (docs/PERFORMANCE.md).
 */
public final class MomentsBatchNormHelper implements BatchNormalizationHelper {

    private final MKLDNNBatchNormHelper dense = new MKLDNNBatchNormHelper(DataType.FLOAT);
    private boolean lastPassDense;
    private INDArray batchMean;
    private INDArray batchVariance;

    /** Its ops run on every ND4J CPU build (with oneDNN where the build has it). */
    @Override
    public boolean checkSupported() {
        return true;
    }

    /** Not for locked gamma and beta, which are no parameters: the ops expect them. */
    @Override
    public boolean checkSupported(double eps, boolean fixedGammaBeta) {
        return !fixedGammaBeta;
    }

    @Override
    public INDArray preOutput(INDArray x, boolean training, long[] shape, INDArray gamma, INDArray beta, INDArray mean,
                              INDArray var, double decay, double eps, CNN2DFormat format, LayerWorkspaceMgr workspaceMgr) {
        lastPassDense = x.rank() != 4;
        if (lastPassDense) {
            return dense.preOutput(x, training, shape, gamma, beta, mean, var, decay, eps, format, workspaceMgr);
        }
        if (x.dataType() != DataType.FLOAT) {
            return null;
        }
        int axis = channelAxis(format);
        INDArray m;
        INDArray v;
        if (training) {
            if (batchMean == null || batchMean.length() != x.size(axis)) {
                // Read by the layer after the pass, to update its running statistics: outside any workspace.
                try (MemoryWorkspace ignored = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
                    batchMean = Nd4j.createUninitialized(DataType.FLOAT, x.size(axis));
                    batchVariance = Nd4j.createUninitialized(DataType.FLOAT, x.size(axis));
                }
            }
            Nd4j.exec(DynamicCustomOp.builder("moments").addInputs(x).addOutputs(batchMean, batchVariance)
                    .addIntegerArguments(otherDimensions(axis)).build());
            m = batchMean;
            v = batchVariance;
        } else {
            m = mean.reshape(mean.length());
            v = var.reshape(var.length());
        }
        INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, x.dataType(), x.shape());
        Nd4j.exec(DynamicCustomOp.builder("batchnorm")
                .addInputs(x, m, v, gamma.reshape(gamma.length()), beta.reshape(beta.length()))
                .addOutputs(out)
                .addIntegerArguments(1, 1, axis)
                .addFloatingPointArguments(eps)
                .build());
        return out;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray input, INDArray epsilon, long[] shape, INDArray gamma,
                                                     INDArray beta, INDArray dGammaView, INDArray dBetaView, double eps,
                                                     CNN2DFormat format, LayerWorkspaceMgr workspaceMgr) {
        if (input.rank() != 4) {
            return dense.backpropGradient(input, epsilon, shape, gamma, beta, dGammaView, dBetaView, eps, format,
                    workspaceMgr);
        }
        if (input.dataType() != DataType.FLOAT) {
            return null;
        }
        // batchnorm_bp reads its gradient as if it had default strides (DL4J issue 8860).
        INDArray dLdOut = Shape.hasDefaultStridesForShape(epsilon) ? epsilon : epsilon.dup('c');
        INDArray dLdIn = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, input.dataType(), input.shape());
        INDArray dLdMean = workspaceMgr.createUninitialized(ArrayType.BP_WORKING_MEM, batchMean.dataType(), batchMean.shape());
        INDArray dLdVariance = workspaceMgr.createUninitialized(ArrayType.BP_WORKING_MEM, batchMean.dataType(), batchMean.shape());
        Nd4j.exec(DynamicCustomOp.builder("batchnorm_bp")
                .addInputs(input, batchMean, batchVariance, gamma.reshape(gamma.length()), beta.reshape(beta.length()), dLdOut)
                .addOutputs(dLdIn, dLdMean, dLdVariance, dGammaView.reshape(dGammaView.length()),
                        dBetaView.reshape(dBetaView.length()))
                .addIntegerArguments(1, 1, channelAxis(format))
                .addFloatingPointArguments(eps)
                .build());
        Gradient gradient = new DefaultGradient();
        gradient.setGradientFor(BatchNormalizationParamInitializer.GAMMA, dGammaView);
        gradient.setGradientFor(BatchNormalizationParamInitializer.BETA, dBetaView);
        return new Pair<>(gradient, dLdIn);
    }

    @Override
    public INDArray getMeanCache(DataType dataType) {
        return lastPassDense ? dense.getMeanCache(dataType) : batchMean;
    }

    @Override
    public INDArray getVarCache(DataType dataType) {
        return lastPassDense ? dense.getVarCache(dataType) : batchVariance;
    }

    @Override
    public Map<String, Long> helperMemoryUse() {
        return Map.of();
    }

    private static int channelAxis(CNN2DFormat format) {
        return format == CNN2DFormat.NCHW ? 1 : 3;
    }

    /** Every dimension of convolutional activations but the channels'. */
    private static int[] otherDimensions(int channelAxis) {
        return IntStream.range(0, 4).filter(d -> d != channelAxis).toArray();
    }
}
