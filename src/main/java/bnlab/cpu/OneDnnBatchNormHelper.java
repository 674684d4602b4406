package bnlab.cpu;

import org.bytedeco.dnnl.IntMemoryMap;
import org.bytedeco.dnnl.batch_normalization_backward;
import org.bytedeco.dnnl.batch_normalization_forward;
import org.bytedeco.dnnl.memory;
import org.bytedeco.dnnl.primitive;
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
import org.nd4j.linalg.factory.Nd4j;

import java.util.HashMap;
import java.util.Map;

import static bnlab.cpu.OneDnn.CPU;
import static bnlab.cpu.OneDnn.bind;
import static bnlab.cpu.OneDnn.contiguous;
import static bnlab.cpu.OneDnn.copyBack;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_SCALE;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_SHIFT;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_MEAN;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SCALE;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SHIFT;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_VARIANCE;
import static org.bytedeco.dnnl.global.dnnl.dnnl_backward;
import static org.bytedeco.dnnl.global.dnnl.dnnl_forward_inference;
import static org.bytedeco.dnnl.global.dnnl.dnnl_forward_training;
import static org.bytedeco.dnnl.global.dnnl.dnnl_use_global_stats;
import static org.bytedeco.dnnl.global.dnnl.dnnl_use_scale;
import static org.bytedeco.dnnl.global.dnnl.dnnl_use_shift;

/**
 * A BatchNormalization helper that runs oneDNN's batch normalization primitives directly
 * (JavaCPP's build of oneDNN), built once per activation shape and reused. In training the
 * forward primitive computes the batch's mean and (biased) variance itself, and the backward
 * primitive the whole gradient, through the batch statistics included. libnd4j's own oneDNN ops,
 * which DL4J's helper calls, rebuild their primitive at every call, and its {@code batchnorm_bp}
 * treats the statistics as given and then corrects the gradient with a chain of its own array
 * ops: four times the time of oneDNN's backward pass on the CNN's activations
 * (docs/PERFORMANCE.md).
 * <p>
 * DL4J hands the helper [N, C, H, W] activations, dense ones reshaped to [N, C, 1, 1]. oneDNN
 * uses the ND4J arrays' memory in place; arrays without C-order default strides are copied
 * first. Channels-last activations ([N, H, W, C]) are left to DL4J's own code: oneDNN's
 * channels-last primitives gave gradients 50 to 80 times further from exact than DL4J's float
 * computation (docs/PERFORMANCE.md).
 */
public final class OneDnnBatchNormHelper implements BatchNormalizationHelper {

    private final Map<Shape4, Primitives> training = new HashMap<>();
    private final Map<Shape4, Primitives> inference = new HashMap<>();
    private INDArray batchMean;
    private INDArray batchVariance;

    /** [N, C, H, W] activations' dimensions. */
    private record Shape4(long n, long c, long h, long w) {
        static Shape4 of(INDArray x) {
            long[] s = x.shape();
            return new Shape4(s[0], s[1], s[2], s[3]);
        }

        /**
         * ND4J's NCHW layout, described to oneDNN as blocks of 16 channels where that is the same
         * thing (one pixel per channel, whole blocks): oneDNN runs its jit code on blocked memory
         * and plain C++ loops on NCHW, 4 to 20 times slower on the MLPs' activations. Images stay
         * NCHW: on the CNN's, the jit code's gradients were about 1000 times further from exact
         * (docs/PERFORMANCE.md).
         */
        memory.desc activations() {
            boolean blocked = h * w == 1 && c % 16 == 0;
            return new memory.desc(new long[]{n, c, h, w}, memory.data_type.f32,
                    blocked ? memory.format_tag.nChw16c : memory.format_tag.nchw);
        }

        memory.desc channels() {
            return new memory.desc(new long[]{c}, memory.data_type.f32, memory.format_tag.a);
        }
    }

    /**
     * oneDNN's primitives for one shape, with their arguments: memory objects that each call
     * points at its ND4J arrays.
     */
    private static final class Primitives {
        final primitive forward;
        final IntMemoryMap forwardArguments;
        final primitive backward;
        final IntMemoryMap backwardArguments;

        Primitives(Shape4 shape, boolean training, float eps) {
            int flags = dnnl_use_scale | dnnl_use_shift | (training ? 0 : dnnl_use_global_stats);
            batch_normalization_forward.primitive_desc forwardDescription = new batch_normalization_forward.primitive_desc(
                    new batch_normalization_forward.desc(training ? dnnl_forward_training : dnnl_forward_inference,
                            shape.activations(), eps, flags), CPU);
            forward = new batch_normalization_forward(forwardDescription);
            forwardArguments = arguments(shape, DNNL_ARG_SRC, DNNL_ARG_DST, DNNL_ARG_MEAN, DNNL_ARG_VARIANCE,
                    DNNL_ARG_SCALE, DNNL_ARG_SHIFT);
            if (training) {
                backward = new batch_normalization_backward(new batch_normalization_backward.primitive_desc(
                        new batch_normalization_backward.desc(dnnl_backward, shape.activations(), shape.activations(),
                                eps, flags), CPU, forwardDescription));
                backwardArguments = arguments(shape, DNNL_ARG_SRC, DNNL_ARG_MEAN, DNNL_ARG_VARIANCE, DNNL_ARG_SCALE,
                        DNNL_ARG_SHIFT, DNNL_ARG_DIFF_DST, DNNL_ARG_DIFF_SRC, DNNL_ARG_DIFF_SCALE, DNNL_ARG_DIFF_SHIFT);
            } else {
                backward = null;
                backwardArguments = null;
            }
        }

        /** A memory object, without memory yet, for each argument: activations' shape or one value per channel. */
        private static IntMemoryMap arguments(Shape4 shape, int... names) {
            IntMemoryMap arguments = new IntMemoryMap();
            for (int name : names) {
                boolean activations = name == DNNL_ARG_SRC || name == DNNL_ARG_DST || name == DNNL_ARG_DIFF_SRC
                        || name == DNNL_ARG_DIFF_DST;
                arguments.put(name, new memory(activations ? shape.activations() : shape.channels(), CPU, null));
            }
            return arguments;
        }

        /** Runs {@code primitive} on {@code arrays}, by argument (each a dense C-order block of floats). */
        static void run(primitive primitive, IntMemoryMap arguments, Map<Integer, INDArray> arrays) {
            arrays.forEach((name, array) -> bind(arguments.get(name), array));
            OneDnn.run(primitive, arguments);
        }
    }

    /** oneDNN runs on every x86-64 CPU. */
    @Override
    public boolean checkSupported() {
        return true;
    }

    /** Not for locked gamma and beta, which are no parameters: the primitives expect them. */
    @Override
    public boolean checkSupported(double eps, boolean fixedGammaBeta) {
        return !fixedGammaBeta;
    }

    @Override
    public INDArray preOutput(INDArray x, boolean training, long[] shape, INDArray gamma, INDArray beta, INDArray mean,
                              INDArray var, double decay, double eps, CNN2DFormat format, LayerWorkspaceMgr workspaceMgr) {
        if (!supported(x, format)) {
            return null;
        }
        Shape4 dims = Shape4.of(x);
        INDArray input = contiguous(x);
        INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, DataType.FLOAT, x.shape());
        if (training) {
            if (batchMean == null || batchMean.length() != dims.c()) {
                // Read by the layer after the pass, to update its running statistics: outside any workspace.
                try (MemoryWorkspace ignored = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
                    batchMean = Nd4j.createUninitialized(DataType.FLOAT, dims.c());
                    batchVariance = Nd4j.createUninitialized(DataType.FLOAT, dims.c());
                }
            }
            Primitives p = this.training.computeIfAbsent(dims, d -> new Primitives(d, true, (float) eps));
            Primitives.run(p.forward, p.forwardArguments, Map.of(DNNL_ARG_SRC, input, DNNL_ARG_DST, out,
                    DNNL_ARG_MEAN, batchMean, DNNL_ARG_VARIANCE, batchVariance,
                    DNNL_ARG_SCALE, contiguous(gamma), DNNL_ARG_SHIFT, contiguous(beta)));
        } else {
            Primitives p = inference.computeIfAbsent(dims, d -> new Primitives(d, false, (float) eps));
            Primitives.run(p.forward, p.forwardArguments, Map.of(DNNL_ARG_SRC, input, DNNL_ARG_DST, out,
                    DNNL_ARG_MEAN, contiguous(mean), DNNL_ARG_VARIANCE, contiguous(var),
                    DNNL_ARG_SCALE, contiguous(gamma), DNNL_ARG_SHIFT, contiguous(beta)));
        }
        return out;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray input, INDArray epsilon, long[] shape, INDArray gamma,
                                                     INDArray beta, INDArray dGammaView, INDArray dBetaView, double eps,
                                                     CNN2DFormat format, LayerWorkspaceMgr workspaceMgr) {
        if (!supported(input, format)) {
            return null;
        }
        Primitives p = training.get(Shape4.of(input));
        if (p == null) {
            throw new IllegalStateException("Backpropagation through BatchNormalization before a training forward pass");
        }
        INDArray dLdIn = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, DataType.FLOAT, input.shape());
        INDArray dLdGamma = contiguous(dGammaView);
        INDArray dLdBeta = contiguous(dBetaView);
        Primitives.run(p.backward, p.backwardArguments, Map.of(DNNL_ARG_SRC, contiguous(input),
                DNNL_ARG_MEAN, batchMean, DNNL_ARG_VARIANCE, batchVariance,
                DNNL_ARG_SCALE, contiguous(gamma), DNNL_ARG_SHIFT, contiguous(beta), DNNL_ARG_DIFF_DST, contiguous(epsilon),
                DNNL_ARG_DIFF_SRC, dLdIn, DNNL_ARG_DIFF_SCALE, dLdGamma, DNNL_ARG_DIFF_SHIFT, dLdBeta));
        copyBack(dLdGamma, dGammaView);
        copyBack(dLdBeta, dBetaView);
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

    /** Whether the primitives take {@code x}; for others DL4J's own code runs. */
    private static boolean supported(INDArray x, CNN2DFormat format) {
        return x.dataType() == DataType.FLOAT && x.rank() == 4 && format == CNN2DFormat.NCHW;
    }
}
