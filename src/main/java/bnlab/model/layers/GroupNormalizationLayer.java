package bnlab.model.layers;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.BaseLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastAddOp;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastDivOp;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastMulOp;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastSubOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.stream.IntStream;

/**
 * The computation of a {@link GroupNormalization} layer. With the input of each example viewed
 * as {@code [groups, m]} ({@code m} values per group):
 * <pre>
 *   x̂ = (x - mean(x)) / sqrt(var(x) + ε)            per example and group
 *   y = γ x̂ + β                                       per channel
 *   ∂L/∂x = (g - mean(g) - x̂ mean(g x̂)) / sqrt(var(x) + ε),   g = γ ∂L/∂y
 * </pre>
 * with the biased variance, as BatchNormalization and Wu and He use. Backpropagation recomputes
 * the group statistics from the stored input rather than keeping them between the passes:
 * they cost one pass over the input, and nothing outlives the workspaces DL4J hands out.
 */
public final class GroupNormalizationLayer extends BaseLayer<GroupNormalization> {

    private static final int CHANNELS = 1;

    public GroupNormalizationLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    public Type type() {
        return Type.NORMALIZATION;
    }

    @Override
    public boolean isPretrainLayer() {
        return false;
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        Normalized normalized = normalize(input.castTo(dataType));
        INDArray output = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, dataType, input.shape(), 'c');
        Nd4j.getExecutioner().exec(new BroadcastMulOp(normalized.xHat(input.shape()), vector(GroupNormalizationParamInitializer.GAMMA),
                output, CHANNELS));
        Nd4j.getExecutioner().exec(new BroadcastAddOp(output, vector(GroupNormalizationParamInitializer.BETA), output, CHANNELS));
        return output;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        long[] shape = input.shape();
        Normalized normalized = normalize(input.castTo(dataType));
        INDArray outputGradient = epsilon.castTo(dataType);
        int[] allButChannels = IntStream.range(0, shape.length).filter(d -> d != CHANNELS).toArray();

        Gradient gradient = new DefaultGradient();
        INDArray gammaGradient = gradientViews.get(GroupNormalizationParamInitializer.GAMMA);
        gammaGradient.assign(outputGradient.mul(normalized.xHat(shape)).sum(allButChannels).reshape(gammaGradient.shape()));
        gradient.gradientForVariable().put(GroupNormalizationParamInitializer.GAMMA, gammaGradient);
        INDArray betaGradient = gradientViews.get(GroupNormalizationParamInitializer.BETA);
        betaGradient.assign(outputGradient.sum(allButChannels).reshape(betaGradient.shape()));
        gradient.gradientForVariable().put(GroupNormalizationParamInitializer.BETA, betaGradient);

        INDArray g = Nd4j.createUninitialized(dataType, shape, 'c');
        Nd4j.getExecutioner().exec(new BroadcastMulOp(outputGradient, vector(GroupNormalizationParamInitializer.GAMMA), g,
                CHANNELS));
        INDArray grouped = g.reshape('c', normalized.xHat().shape());
        INDArray meanG = grouped.mean(2);
        INDArray meanGxHat = grouped.mul(normalized.xHat()).mean(2);
        INDArray inputGradient = Nd4j.createUninitialized(dataType, grouped.shape(), 'c');
        Nd4j.getExecutioner().exec(new BroadcastMulOp(normalized.xHat(), meanGxHat, inputGradient, 0, 1));
        inputGradient.rsubi(grouped);
        Nd4j.getExecutioner().exec(new BroadcastSubOp(inputGradient, meanG, inputGradient, 0, 1));
        Nd4j.getExecutioner().exec(new BroadcastDivOp(inputGradient, normalized.std(), inputGradient, 0, 1));
        return new Pair<>(gradient, workspaceMgr.leverageTo(ArrayType.ACTIVATION_GRAD, inputGradient.reshape('c', shape)));
    }

    /**
     * The input normalized within each example's groups, as {@code [batch, groups, m]}, and the
     * standard deviation each group was divided by, as {@code [batch, groups]}.
     */
    private record Normalized(INDArray xHat, INDArray std) {

        INDArray xHat(long[] shape) {
            return xHat.reshape('c', shape);
        }
    }

    private Normalized normalize(INDArray x) {
        long examples = x.size(0);
        int groups = layerConf().getGroups();
        INDArray grouped = x.reshape('c', examples, groups, x.length() / (examples * groups));
        INDArray centered = Nd4j.createUninitialized(dataType, grouped.shape(), 'c');
        Nd4j.getExecutioner().exec(new BroadcastSubOp(grouped, grouped.mean(2), centered, 0, 1));
        INDArray std = Transforms.sqrt(centered.mul(centered).mean(2).addi(layerConf().getEpsilon()), false);
        Nd4j.getExecutioner().exec(new BroadcastDivOp(centered, std, centered, 0, 1));
        return new Normalized(centered, std);
    }

    private INDArray vector(String parameter) {
        INDArray values = getParam(parameter);
        return values.reshape(values.length());
    }
}
