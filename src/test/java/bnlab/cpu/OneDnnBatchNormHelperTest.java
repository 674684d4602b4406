package bnlab.cpu;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.Test;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The helper on arrays DL4J may hand it; CpuTuningTest compares it with DL4J's layer in networks. */
class OneDnnBatchNormHelperTest {

    private static final LayerWorkspaceMgr NO_WORKSPACES = LayerWorkspaceMgr.noWorkspaces();

    /** Views with other strides (a permuted gradient, a gradient view that is a column) give the same numbers. */
    @Test
    void stridedArraysGiveTheResultsOfDenseOnes() {
        Nd4j.getRandom().setSeed(3);
        INDArray x = Nd4j.randn(DataType.FLOAT, 8, 3, 4, 4);
        INDArray gamma = Nd4j.rand(DataType.FLOAT, 3).addi(0.5);
        INDArray beta = Nd4j.randn(DataType.FLOAT, 3);
        INDArray epsilon = Nd4j.randn(DataType.FLOAT, 8, 3, 4, 4);
        INDArray channelsLastEpsilon = epsilon.permute(0, 2, 3, 1).dup('c').permute(0, 3, 1, 2);
        INDArray dGamma = Nd4j.zeros(DataType.FLOAT, 3);
        INDArray dBetaColumn = Nd4j.zeros(DataType.FLOAT, 3, 2).getColumn(1);
        assertFalse(Shape.hasDefaultStridesForShape(channelsLastEpsilon));
        assertFalse(Shape.hasDefaultStridesForShape(dBetaColumn));

        Pair<Gradient, INDArray> dense = trainingPasses(x, gamma, beta, epsilon,
                Nd4j.zeros(DataType.FLOAT, 3), Nd4j.zeros(DataType.FLOAT, 3)).backward();
        Pair<Gradient, INDArray> strided = trainingPasses(x, gamma, beta, channelsLastEpsilon, dGamma, dBetaColumn)
                .backward();

        assertEquals(dense.getSecond(), strided.getSecond());
        assertEquals(dense.getFirst().getGradientFor("gamma"), dGamma);
        assertEquals(dense.getFirst().getGradientFor("beta"), dBetaColumn);
    }

    /**
     * Dense activations run in oneDNN's blocked layout when their channels fill blocks of 16 and
     * as NCHW otherwise; BN treats channels independently, so both agree on the channels they share.
     */
    @Test
    void denseActivationsGiveTheSameResultsInEitherLayout() {
        Nd4j.getRandom().setSeed(5);
        INDArray x = Nd4j.randn(DataType.FLOAT, 32, 20, 1, 1).muli(3).addi(1);
        INDArray gamma = Nd4j.rand(DataType.FLOAT, 20).addi(0.5);
        INDArray beta = Nd4j.randn(DataType.FLOAT, 20);
        INDArray epsilon = Nd4j.randn(DataType.FLOAT, 32, 20, 1, 1);
        INDArrayIndex first16 = NDArrayIndex.interval(0, 16);

        TrainingPasses twenty = trainingPasses(x, gamma, beta, epsilon, Nd4j.zeros(DataType.FLOAT, 20),
                Nd4j.zeros(DataType.FLOAT, 20));
        TrainingPasses sixteen = trainingPasses(x.get(NDArrayIndex.all(), first16).dup(), gamma.get(first16).dup(),
                beta.get(first16).dup(), epsilon.get(NDArrayIndex.all(), first16).dup(), Nd4j.zeros(DataType.FLOAT, 16),
                Nd4j.zeros(DataType.FLOAT, 16));

        assertTrue(twenty.output().get(NDArrayIndex.all(), first16).equalsWithEps(sixteen.output(), 1e-5));
        assertTrue(twenty.backward().getSecond().get(NDArrayIndex.all(), first16)
                .equalsWithEps(sixteen.backward().getSecond(), 1e-5));
        assertTrue(twenty.backward().getFirst().getGradientFor("gamma").get(first16)
                .equalsWithEps(sixteen.backward().getFirst().getGradientFor("gamma"), 1e-4));
        assertTrue(sixteen.output().std(0).getDouble(0) > 0.1);
    }

    @Test
    void leavesChannelsLastAndDoublesToDl4j() {
        OneDnnBatchNormHelper helper = new OneDnnBatchNormHelper();
        INDArray gamma = Nd4j.ones(DataType.FLOAT, 3);
        INDArray beta = Nd4j.zeros(DataType.FLOAT, 3);
        assertNull(helper.preOutput(Nd4j.randn(DataType.FLOAT, 2, 4, 4, 3), true, null, gamma, beta, null, null,
                0.9, 1e-5, CNN2DFormat.NHWC, NO_WORKSPACES));
        assertNull(helper.preOutput(Nd4j.randn(DataType.DOUBLE, 2, 3, 4, 4), true, null, gamma, beta, null, null,
                0.9, 1e-5, CNN2DFormat.NCHW, NO_WORKSPACES));
    }

    /** The output of a training forward pass, and the gradients of the backward pass after it. */
    private record TrainingPasses(INDArray output, Pair<Gradient, INDArray> backward) {
    }

    private static TrainingPasses trainingPasses(INDArray x, INDArray gamma, INDArray beta, INDArray epsilon,
                                                 INDArray dGamma, INDArray dBeta) {
        OneDnnBatchNormHelper helper = new OneDnnBatchNormHelper();
        INDArray output = helper.preOutput(x, true, null, gamma, beta, null, null, 0.9, 1e-5, CNN2DFormat.NCHW,
                NO_WORKSPACES);
        return new TrainingPasses(output, helper.backpropGradient(x, epsilon, null, gamma, beta, dGamma, dBeta, 1e-5,
                CNN2DFormat.NCHW, NO_WORKSPACES));
    }
}
