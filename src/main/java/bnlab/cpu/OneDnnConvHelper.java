package bnlab.cpu;

import bnlab.cpu.OneDnn.Operand;
import org.bytedeco.dnnl.IntMemoryMap;
import org.bytedeco.dnnl.convolution_backward_data;
import org.bytedeco.dnnl.convolution_backward_weights;
import org.bytedeco.dnnl.convolution_forward;
import org.bytedeco.dnnl.memory;
import org.bytedeco.dnnl.primitive;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.convolution.ConvolutionHelper;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer.AlgoMode;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer.BwdDataAlgo;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer.BwdFilterAlgo;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer.FwdAlgo;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNConvHelper;
import org.deeplearning4j.nn.params.ConvolutionParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.HashMap;
import java.util.Map;

import static bnlab.cpu.OneDnn.CPU;
import static bnlab.cpu.OneDnn.bind;
import static bnlab.cpu.OneDnn.contiguous;
import static bnlab.cpu.OneDnn.copyBack;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_BIAS;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_BIAS;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_WEIGHTS;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_WEIGHTS;
import static org.bytedeco.dnnl.global.dnnl.dnnl_convolution_direct;
import static org.bytedeco.dnnl.global.dnnl.dnnl_forward_training;

/**
 * A convolution helper that runs oneDNN's convolution primitives directly, built once per
 * shape, in the memory layout oneDNN picks for them, with one reorder to and from ND4J's NCHW
 * arrays per tensor. libnd4j's oneDNN ops, which DL4J's helper calls, reorder every tensor at
 * every call as well, and spent as long on those reorders as on the convolutions themselves
 * (docs/PERFORMANCE.md).
 * <p>
 * Convolutions with a bias, NCHW activations, no dilation and explicit padding that the
 * kernel covers exactly (DL4J's Truncate and Strict modes) run here; the rest go to DL4J's
 * helper. Each shape keeps its primitives and oneDNN-layout buffers for as long as the layer
 * lives.
 */
public final class OneDnnConvHelper implements ConvolutionHelper {

    private final MKLDNNConvHelper others = new MKLDNNConvHelper(DataType.FLOAT);
    private final Map<Geometry, Primitives> primitives = new HashMap<>();

    /** A convolution's shapes, strides and padding. */
    private record Geometry(long n, long inChannels, long h, long w, long outChannels, long kh, long kw, int sh, int sw,
                            int ph, int pw) {
        long outH() {
            return (h + 2L * ph - kh) / sh + 1;
        }

        long outW() {
            return (w + 2L * pw - kw) / sw + 1;
        }

        memory.desc input(memory.format_tag layout) {
            return new memory.desc(new long[]{n, inChannels, h, w}, memory.data_type.f32, layout);
        }

        memory.desc weights(memory.format_tag layout) {
            return new memory.desc(new long[]{outChannels, inChannels, kh, kw}, memory.data_type.f32, layout);
        }

        memory.desc bias() {
            return new memory.desc(new long[]{outChannels}, memory.data_type.f32, memory.format_tag.a);
        }

        memory.desc output(memory.format_tag layout) {
            return new memory.desc(new long[]{n, outChannels, outH(), outW()}, memory.data_type.f32, layout);
        }

        long[] strides() {
            return new long[]{sh, sw};
        }

        long[] padLeft() {
            return new long[]{ph, pw};
        }

        /** oneDNN's right and bottom padding: what makes the output size come out. */
        long[] padRight() {
            return new long[]{(outH() - 1) * sh + kh - h - ph, (outW() - 1) * sw + kw - w - pw};
        }

        /** Whether the kernel covers the padded input exactly, as Strict mode requires and Truncate may not. */
        boolean exact() {
            return padRight()[0] == ph && padRight()[1] == pw;
        }
    }

    /** The forward primitive, and the backward ones once backpropagation needs them. */
    private static final class Primitives {
        final Geometry geometry;
        final convolution_forward.primitive_desc forwardDescription;
        final primitive forward;
        final Operand input;
        final Operand weights;
        final memory bias;
        final Operand output;
        final IntMemoryMap forwardArguments = new IntMemoryMap();
        Backward backward;

        Primitives(Geometry g) {
            geometry = g;
            forwardDescription = new convolution_forward.primitive_desc(new convolution_forward.desc(dnnl_forward_training,
                    dnnl_convolution_direct, g.input(memory.format_tag.any), g.weights(memory.format_tag.any), g.bias(),
                    g.output(memory.format_tag.any), g.strides(), g.padLeft(), g.padRight()), CPU);
            forward = new convolution_forward(forwardDescription);
            input = new Operand(g.input(memory.format_tag.nchw), forwardDescription.src_desc());
            weights = new Operand(g.weights(memory.format_tag.oihw), forwardDescription.weights_desc());
            bias = new memory(g.bias(), CPU, null);
            output = new Operand(g.output(memory.format_tag.nchw), forwardDescription.dst_desc());
            forwardArguments.put(DNNL_ARG_SRC, input.own);
            forwardArguments.put(DNNL_ARG_WEIGHTS, weights.own);
            forwardArguments.put(DNNL_ARG_BIAS, bias);
            forwardArguments.put(DNNL_ARG_DST, output.own);
        }

        Backward backward() {
            if (backward == null) {
                backward = new Backward(geometry, forwardDescription);
            }
            return backward;
        }
    }

    /** The backward primitives: to the input's gradient, and to the weights' and bias's. */
    private static final class Backward {
        final primitive data;
        final Operand dataOutputGradient;
        final Operand dataWeights;
        final Operand inputGradient;
        final IntMemoryMap dataArguments = new IntMemoryMap();
        final primitive weights;
        final Operand weightsInput;
        final Operand weightsOutputGradient;
        final Operand weightsGradient;
        final memory biasGradient;
        final IntMemoryMap weightsArguments = new IntMemoryMap();

        Backward(Geometry g, convolution_forward.primitive_desc hint) {
            convolution_backward_data.primitive_desc dataDescription = new convolution_backward_data.primitive_desc(
                    new convolution_backward_data.desc(dnnl_convolution_direct, g.input(memory.format_tag.any),
                            g.weights(memory.format_tag.any), g.output(memory.format_tag.any), g.strides(), g.padLeft(),
                            g.padRight()), CPU, hint);
            data = new convolution_backward_data(dataDescription);
            dataOutputGradient = new Operand(g.output(memory.format_tag.nchw), dataDescription.diff_dst_desc());
            dataWeights = new Operand(g.weights(memory.format_tag.oihw), dataDescription.weights_desc());
            inputGradient = new Operand(g.input(memory.format_tag.nchw), dataDescription.diff_src_desc());
            dataArguments.put(DNNL_ARG_DIFF_DST, dataOutputGradient.own);
            dataArguments.put(DNNL_ARG_WEIGHTS, dataWeights.own);
            dataArguments.put(DNNL_ARG_DIFF_SRC, inputGradient.own);

            convolution_backward_weights.primitive_desc weightsDescription = new convolution_backward_weights.primitive_desc(
                    new convolution_backward_weights.desc(dnnl_convolution_direct, g.input(memory.format_tag.any),
                            g.weights(memory.format_tag.any), g.bias(), g.output(memory.format_tag.any), g.strides(),
                            g.padLeft(), g.padRight()), CPU, hint);
            weights = new convolution_backward_weights(weightsDescription);
            weightsInput = new Operand(g.input(memory.format_tag.nchw), weightsDescription.src_desc());
            weightsOutputGradient = new Operand(g.output(memory.format_tag.nchw), weightsDescription.diff_dst_desc());
            weightsGradient = new Operand(g.weights(memory.format_tag.oihw), weightsDescription.diff_weights_desc());
            biasGradient = new memory(g.bias(), CPU, null);
            weightsArguments.put(DNNL_ARG_SRC, weightsInput.own);
            weightsArguments.put(DNNL_ARG_DIFF_DST, weightsOutputGradient.own);
            weightsArguments.put(DNNL_ARG_DIFF_WEIGHTS, weightsGradient.own);
            weightsArguments.put(DNNL_ARG_DIFF_BIAS, biasGradient);
        }
    }

    @Override
    public boolean checkSupported() {
        return true;
    }

    @Override
    public INDArray preOutput(INDArray input, INDArray weights, INDArray bias, int[] kernel, int[] strides, int[] pad,
                              AlgoMode mode, FwdAlgo fwdAlgo, ConvolutionMode convolutionMode, int[] dilation,
                              CNN2DFormat format, LayerWorkspaceMgr workspaceMgr) {
        Geometry g = supported(input, weights, bias, convolutionMode, dilation, format, strides, pad);
        if (g == null) {
            return others.preOutput(input, weights, bias, kernel, strides, pad, mode, fwdAlgo, convolutionMode, dilation,
                    format, workspaceMgr);
        }
        Primitives p = primitives.computeIfAbsent(g, Primitives::new);
        INDArray output = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, DataType.FLOAT,
                g.n(), g.outChannels(), g.outH(), g.outW());
        p.input.read(contiguous(input));
        p.weights.read(contiguous(weights));
        bind(p.bias, contiguous(bias));
        p.output.writeTo(output);
        OneDnn.run(p.forward, p.forwardArguments);
        p.output.flush();
        return output;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray input, INDArray weights, INDArray bias, INDArray delta,
                                                     int[] kernel, int[] strides, int[] pad, INDArray biasGradView,
                                                     INDArray weightGradView, IActivation afn, AlgoMode mode,
                                                     BwdFilterAlgo bwdFilterAlgo, BwdDataAlgo bwdDataAlgo,
                                                     ConvolutionMode convolutionMode, int[] dilation, CNN2DFormat format,
                                                     LayerWorkspaceMgr workspaceMgr) {
        Geometry g = supported(input, weights, bias, convolutionMode, dilation, format, strides, pad);
        if (g == null) {
            return others.backpropGradient(input, weights, bias, delta, kernel, strides, pad,
                    bias == null ? null : biasGradView, weightGradView, afn, mode, bwdFilterAlgo, bwdDataAlgo,
                    convolutionMode, dilation, format, workspaceMgr);
        }
        Primitives p = primitives.computeIfAbsent(g, Primitives::new);
        Backward b = p.backward();
        INDArray outputGradient = contiguous(delta);
        INDArray inputGradient = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, DataType.FLOAT, input.shape());
        b.dataOutputGradient.read(outputGradient);
        b.dataWeights.read(contiguous(weights));
        b.inputGradient.writeTo(inputGradient);
        OneDnn.run(b.data, b.dataArguments);
        b.inputGradient.flush();

        INDArray weightsGradient = contiguous(weightGradView);
        INDArray biasGradient = contiguous(biasGradView);
        b.weightsInput.read(contiguous(input));
        b.weightsOutputGradient.read(outputGradient);
        bind(b.biasGradient, biasGradient);
        b.weightsGradient.writeTo(weightsGradient);
        OneDnn.run(b.weights, b.weightsArguments);
        b.weightsGradient.flush();
        copyBack(weightsGradient, weightGradView);
        copyBack(biasGradient, biasGradView);
        Gradient gradient = new DefaultGradient();
        gradient.gradientForVariable().put(ConvolutionParamInitializer.BIAS_KEY, biasGradView);
        gradient.gradientForVariable().put(ConvolutionParamInitializer.WEIGHT_KEY, weightGradView);
        return new Pair<>(gradient, inputGradient);
    }

    @Override
    public INDArray activate(INDArray z, IActivation afn, boolean training) {
        return others.activate(z, afn, training);
    }

    @Override
    public Map<String, Long> helperMemoryUse() {
        return Map.of();
    }

    /** The convolution's geometry where the primitives take it; null for those DL4J's helper runs. */
    private static Geometry supported(INDArray input, INDArray weights, INDArray bias, ConvolutionMode convolutionMode,
                                      int[] dilation, CNN2DFormat format, int[] strides, int[] pad) {
        if (input.dataType() != DataType.FLOAT || weights.dataType() != DataType.FLOAT || bias == null
                || format != CNN2DFormat.NCHW || input.rank() != 4 || dilation[0] != 1 || dilation[1] != 1
                || (convolutionMode != ConvolutionMode.Truncate && convolutionMode != ConvolutionMode.Strict)) {
            return null;
        }
        Geometry g = new Geometry(input.size(0), input.size(1), input.size(2), input.size(3), weights.size(0),
                weights.size(2), weights.size(3), strides[0], strides[1], pad[0], pad[1]);
        return g.exact() ? g : null;
    }
}
