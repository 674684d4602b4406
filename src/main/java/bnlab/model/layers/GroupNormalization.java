package bnlab.model.layers;

import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.LayerValidation;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.nn.conf.memory.MemoryReport;
import org.deeplearning4j.nn.conf.preprocessor.FeedForwardToCnnPreProcessor;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.regularization.Regularization;

import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * Group normalization (Wu and He, 2018) for DL4J: each example's channels are split into
 * {@code groups} groups of equal size, and each group is normalized with the mean and variance
 * of its own values (over its channels and all pixels), then scaled and shifted by a learned
 * gamma and beta per channel. Nothing is averaged over the batch, so the result for an example
 * does not depend on the other examples, on the batch size, or on training versus inference.
 *
 * <p>One group is layer normalization as Wu and He define it for images (all of an example's
 * channels and pixels, with a gamma and beta per channel); as many groups as channels is
 * instance normalization. Input is convolutional ({@code [batch, channels, height, width]},
 * NCHW) or feed-forward ({@code [batch, features]}, each feature a channel of one pixel).
 * Sequences are refused: their groups would pool all time steps, the future included.
 *
 * <p>Use it like DL4J's BatchNormalization, between a layer without activation and an
 * ActivationLayer: {@code new GroupNormalization.Builder().groups(8).build()}. It has no
 * running statistics, no L1/L2 on gamma and beta (as BatchNormalization), and no input
 * dropout. It serializes with the network's JSON and {@code ModelSerializer}.
 */
public class GroupNormalization extends FeedForwardLayer {

    /** Keras's default; Wu and He's is 32 as well. */
    public static final int DEFAULT_GROUPS = 32;
    /** Keras's default, as for bnlab's BatchNormalization. */
    public static final double DEFAULT_EPSILON = 1e-3;

    private int groups;
    private double epsilon;

    private GroupNormalization(Builder builder) {
        super(builder);
        if (builder.groups <= 0 || !(builder.epsilon > 0)) {
            throw new IllegalArgumentException("GroupNormalization needs groups >= 1 and epsilon > 0, got groups "
                    + builder.groups + " and epsilon " + builder.epsilon);
        }
        this.groups = builder.groups;
        this.epsilon = builder.epsilon;
        if (nIn > 0) {
            requireDivisible(nIn);
        }
    }

    /** For JSON deserialization. */
    public GroupNormalization() {
        this(new Builder());
    }

    public int getGroups() {
        return groups;
    }

    public void setGroups(int groups) {
        this.groups = groups;
    }

    public double getEpsilon() {
        return epsilon;
    }

    public void setEpsilon(double epsilon) {
        this.epsilon = epsilon;
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf,
                                                       Collection<TrainingListener> trainingListeners, int layerIndex,
                                                       INDArray layerParamsView, boolean initializeParams,
                                                       DataType networkDataType) {
        LayerValidation.assertNOutSet("GroupNormalization", layerName, layerIndex, nOut);
        requireDivisible(nOut);
        GroupNormalizationLayer layer = new GroupNormalizationLayer(conf, networkDataType);
        layer.setListeners(trainingListeners);
        layer.setIndex(layerIndex);
        layer.setParamsViewArray(layerParamsView);
        layer.setParamTable(initializer().init(conf, layerParamsView, initializeParams));
        layer.setConf(conf);
        return layer;
    }

    @Override
    public ParamInitializer initializer() {
        return GroupNormalizationParamInitializer.getInstance();
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        requireSupported(inputType);
        return inputType.getType() == InputType.Type.CNNFlat
                ? convolutional((InputType.InputTypeConvolutionalFlat) inputType) : inputType;
    }

    @Override
    public void setNIn(InputType inputType, boolean override) {
        requireSupported(inputType);
        if (nIn <= 0 || override) {
            nIn = switch (inputType.getType()) {
                case FF -> ((InputType.InputTypeFeedForward) inputType).getSize();
                case CNN -> ((InputType.InputTypeConvolutional) inputType).getChannels();
                default -> ((InputType.InputTypeConvolutionalFlat) inputType).getDepth();
            };
            nOut = nIn;
        }
        requireDivisible(nIn);
    }

    /** Flattened images are normalized as the images they are. */
    @Override
    public InputPreProcessor getPreProcessorForInputType(InputType inputType) {
        if (inputType.getType() == InputType.Type.CNNFlat) {
            InputType.InputTypeConvolutionalFlat flat = (InputType.InputTypeConvolutionalFlat) inputType;
            return new FeedForwardToCnnPreProcessor(flat.getHeight(), flat.getWidth(), flat.getDepth());
        }
        return null;
    }

    /** Like BatchNormalization's gamma and beta: few, and not weights to keep small. */
    @Override
    public List<Regularization> getRegularizationByParam(String paramName) {
        return null;
    }

    @Override
    public boolean isPretrainParam(String paramName) {
        return false;
    }

    /** Forward: the normalized copy and the output; backward: the same again plus two gradients. */
    @Override
    public LayerMemoryReport getMemoryReport(InputType inputType) {
        long perExample = inputType.arrayElementsPerExample();
        return new LayerMemoryReport.Builder(layerName, GroupNormalization.class, inputType, getOutputType(-1, inputType))
                .standardMemory(initializer().numParams(this), 2 * initializer().numParams(this))
                .workingMemory(0, perExample, 0, 3 * perExample)
                .cacheMemory(MemoryReport.CACHE_MODE_ALL_ZEROS, MemoryReport.CACHE_MODE_ALL_ZEROS)
                .build();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GroupNormalization other && super.equals(o) && groups == other.groups
                && Double.compare(epsilon, other.epsilon) == 0;
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), groups, epsilon);
    }

    @Override
    public String toString() {
        return "GroupNormalization(groups=" + groups + ", epsilon=" + epsilon + ", channels=" + nOut + ")";
    }

    private void requireSupported(InputType inputType) {
        if (inputType == null) {
            throw new IllegalStateException("GroupNormalization \"" + layerName + "\": no input type given");
        }
        boolean supported = switch (inputType.getType()) {
            case FF, CNNFlat -> true;
            case CNN -> ((InputType.InputTypeConvolutional) inputType).getFormat() == CNN2DFormat.NCHW;
            default -> false;
        };
        if (!supported) {
            throw new IllegalStateException("GroupNormalization \"" + layerName + "\" takes images in NCHW format or "
                    + "feature vectors, got " + inputType);
        }
    }

    private void requireDivisible(long channels) {
        if (channels % groups != 0) {
            throw new IllegalStateException("GroupNormalization \"" + layerName + "\": " + channels
                    + " channels do not split into " + groups + " groups of equal size");
        }
    }

    private static InputType convolutional(InputType.InputTypeConvolutionalFlat flat) {
        return InputType.convolutional(flat.getHeight(), flat.getWidth(), flat.getDepth());
    }

    /** {@code new GroupNormalization.Builder().groups(8).epsilon(1e-5).build()}. */
    public static class Builder extends FeedForwardLayer.Builder<Builder> {

        private int groups = DEFAULT_GROUPS;
        private double epsilon = DEFAULT_EPSILON;

        /** Groups the channels are split into; the channels must divide evenly. 1 is layer normalization. */
        public Builder groups(int groups) {
            this.groups = groups;
            return this;
        }

        /** Added to each group's variance before the square root. */
        public Builder epsilon(double epsilon) {
            this.epsilon = epsilon;
            return this;
        }

        @Override
        @SuppressWarnings("unchecked")
        public GroupNormalization build() {
            return new GroupNormalization(this);
        }
    }
}
