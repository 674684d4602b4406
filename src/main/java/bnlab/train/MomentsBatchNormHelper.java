package bnlab.train;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.normalization.BatchNormalizationHelper;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Map;
import java.util.stream.IntStream;

/**
 * A BatchNormalization helper that computes with three libnd4j ops: {@code moments} for the
 * batch's mean and variance in training, then {@code batchnorm} forward and {@code batchnorm_bp}
 * backward. DL4J's own oneDNN helper ({@code MKLDNNBatchNormHelper}) runs the same two
 * normalization ops, but gets the batch statistics from ND4J's mean and Variance ops, several
 * times slower than one {@code moments} call (they took 15% of {@code cnn_bn}'s training).
 * <p>
 * Convolutional activations ([N, C, H, W] or [N, H, W, C]) go through libnd4j's oneDNN
 * implementations of the ops; dense ones ([N, C]) through its plain C++ ones, because on so
 * few numbers oneDNN's cost of setting up each call outweighs its speed (docs/PERFORMANCE.md).
 */
public final class MomentsBatchNormHelper implements BatchNormalizationHelper {

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
        if (x.dataType() != DataType.FLOAT) {
            return null;
        }
        int axis = channelAxis(x, format);
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
            exec("moments", x, new INDArray[]{x}, new INDArray[]{batchMean, batchVariance}, otherDimensions(x, axis));
            m = batchMean;
            v = batchVariance;
        } else {
            m = mean.reshape(mean.length());
            v = var.reshape(var.length());
        }
        INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, x.dataType(), x.shape());
        exec("batchnorm", x, new INDArray[]{x, m, v, vector(gamma), vector(beta)}, new INDArray[]{out},
                new long[]{1, 1, axis}, eps);
        return out;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray input, INDArray epsilon, long[] shape, INDArray gamma,
                                                     INDArray beta, INDArray dGammaView, INDArray dBetaView, double eps,
                                                     CNN2DFormat format, LayerWorkspaceMgr workspaceMgr) {
        if (input.dataType() != DataType.FLOAT) {
            return null;
        }
        // batchnorm_bp reads its gradient as if it had default strides (DL4J issue 8860).
        INDArray dLdOut = Shape.hasDefaultStridesForShape(epsilon) ? epsilon : epsilon.dup('c');
        INDArray dLdIn = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, input.dataType(), input.shape());
        INDArray dLdMean = workspaceMgr.createUninitialized(ArrayType.BP_WORKING_MEM, batchMean.dataType(), batchMean.shape());
        INDArray dLdVariance = workspaceMgr.createUninitialized(ArrayType.BP_WORKING_MEM, batchMean.dataType(), batchMean.shape());
        exec("batchnorm_bp", input,
                new INDArray[]{input, batchMean, batchVariance, vector(gamma), vector(beta), dLdOut},
                new INDArray[]{dLdIn, dLdMean, dLdVariance, vector(dGammaView), vector(dBetaView)},
                new long[]{1, 1, channelAxis(input, format)}, eps);
        Gradient gradient = new DefaultGradient();
        gradient.setGradientFor(BatchNormalizationParamInitializer.GAMMA, dGammaView);
        gradient.setGradientFor(BatchNormalizationParamInitializer.BETA, dBetaView);
        return new Pair<>(gradient, dLdIn);
    }

    @Override
    public INDArray getMeanCache(DataType dataType) {
        return batchMean;
    }

    @Override
    public INDArray getVarCache(DataType dataType) {
        return batchVariance;
    }

    @Override
    public Map<String, Long> helperMemoryUse() {
        return Map.of();
    }

    /** Runs libnd4j's op {@code name}, with its oneDNN implementation only for convolutional {@code x}. */
    private static void exec(String name, INDArray x, INDArray[] inputs, INDArray[] outputs, long[] integers,
                             double... floats) {
        try (OpContext context = Nd4j.getExecutioner().buildContext()) {
            context.allowHelpers(x.rank() == 4);
            context.setInputArrays(inputs);
            context.setOutputArrays(outputs);
            context.setIArguments(integers);
            context.setTArguments(floats);
            Nd4j.exec(DynamicCustomOp.builder(name).build(), context);
        } catch (Exception e) {
            throw new IllegalStateException("libnd4j's " + name + " failed", e);
        }
    }

    private static INDArray vector(INDArray parameter) {
        return parameter.reshape(parameter.length());
    }

    private static int channelAxis(INDArray x, CNN2DFormat format) {
        return x.rank() == 4 && format == CNN2DFormat.NHWC ? 3 : 1;
    }

    /** Every dimension of {@code x} but the channels'. */
    private static long[] otherDimensions(INDArray x, int channelAxis) {
        return IntStream.range(0, x.rank()).filter(d -> d != channelAxis).asLongStream().toArray();
    }
}
