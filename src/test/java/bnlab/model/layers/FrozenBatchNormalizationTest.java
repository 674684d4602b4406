package bnlab.model.layers;

import bnlab.model.BnParameters;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Comparator;
import java.util.List;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * FrozenBatchNormalization against what it promises: inference mode in training, nothing of the
 * BN moves while frozen, gradients below it as finite differences give them, everything trains
 * once unfrozen; and why DL4J's own switches do not give that (its FrozenLayer and
 * FrozenLayerWithBackprop are pinned in AdviseDl4jFactsTest).
 */
class FrozenBatchNormalizationTest {

    private static final int BATCH = 16;
    /** Finite differences cost two passes each: a handful of weights is enough to catch a wrong gradient. */
    private static final int CHECKED_WEIGHTS = 6;
    private static final List<String> BN_PARAMETERS = List.of("gamma", "beta", "running mean", "running variance");

    private final INDArray features = Nd4j.rand(DataType.DOUBLE, BATCH, 6).muli(4).addi(3);
    private final INDArray labels = Nd4j.rand(DataType.DOUBLE, BATCH, 2);
    private final INDArray images = Nd4j.rand(DataType.DOUBLE, BATCH, 1, 5, 5).muli(4).addi(3);

    @Test
    void whileFrozenItNormalizesWithTheRunningStatisticsInTraining() {
        MultiLayerNetwork frozen = dense(new FrozenBatchNormalization(bn(), 1));
        setStatistics(frozen, features);
        assertEquals(frozen.output(features, false), frozen.output(features, true));

        frozen.incrementEpochCount();
        assertNotEquals(frozen.output(features, false), frozen.output(features, true),
                "after its frozen epochs it normalizes with the batch's statistics in training");
    }

    @Test
    void whileFrozenNothingOfTheBnMovesAndTheLayerBelowTrains() {
        MultiLayerNetwork network = dense(new FrozenBatchNormalization(bn(), 1));
        setStatistics(network, features);
        List<INDArray> pretrained = bnParameters(network.getLayer(1));
        INDArray below = network.getLayer(0).params().dup();
        for (int i = 0; i < 3; i++) {
            network.fit(new DataSet(features, labels));
        }
        assertEquals(pretrained, bnParameters(network.getLayer(1)));
        assertNotEquals(below, network.getLayer(0).params());

        network.incrementEpochCount();
        network.fit(new DataSet(features, labels));
        List<INDArray> unfrozen = bnParameters(network.getLayer(1));
        for (int p = 0; p < BN_PARAMETERS.size(); p++) {
            assertNotEquals(pretrained.get(p), unfrozen.get(p), BN_PARAMETERS.get(p) + " trains once unfrozen");
        }
    }

    @Test
    void gradientsBelowAFrozenBnMatchFiniteDifferences() {
        double dense = gradientError(dense(new FrozenBatchNormalization(bn(), 1)), features);
        assertTrue(dense < 1e-5, "dense: " + dense);
        double convolutional = gradientError(convolutional(new FrozenBatchNormalization(bn(), 1)), images);
        assertTrue(convolutional < 1e-5, "convolutional: " + convolutional);
    }

    @Test
    void aCheckpointKeepsTheScheduleAndTheEpoch() throws IOException {
        MultiLayerNetwork network = dense(new FrozenBatchNormalization(bn(), 2));
        network.fit(new DataSet(features, labels));
        network.incrementEpochCount();
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        ModelSerializer.writeModel(network, zip, true);
        MultiLayerNetwork restored = ModelSerializer.restoreMultiLayerNetwork(new ByteArrayInputStream(zip.toByteArray()),
                true);

        assertEquals(network.getLayerWiseConfigurations(), restored.getLayerWiseConfigurations());
        assertEquals(network.params(), restored.params());
        FrozenBatchNormalizationLayer layer = assertInstanceOf(FrozenBatchNormalizationLayer.class, restored.getLayer(1));
        assertTrue(layer.frozen(), "epoch 1 of 2 frozen");
        restored.incrementEpochCount();
        assertFalse(layer.frozen());
    }

    @Test
    void freezingANetworkWrapsEveryBnAndKeepsItsParameters() {
        MultiLayerNetwork plain = dense(bn());
        MultiLayerConfiguration frozen = FrozenBatchNormalization.freezeBatchNormalization(
                plain.getLayerWiseConfigurations(), 3);
        assertInstanceOf(FrozenBatchNormalization.class, frozen.getConf(1).getLayer());
        assertEquals(3, ((FrozenBatchNormalization) frozen.getConf(1).getLayer()).getFrozenEpochs());
        assertInstanceOf(DenseLayer.class, frozen.getConf(0).getLayer());
        assertInstanceOf(BatchNormalization.class, plain.getLayerWiseConfigurations().getConf(1).getLayer(),
                "the original configuration is left alone");
        MultiLayerNetwork network = new MultiLayerNetwork(frozen, plain.params());
        assertEquals(plain.getLayer(1).paramTable(), network.getLayer(1).paramTable());
        assertEquals(plain.output(features, false), network.output(features, false));
    }

    /** decay(1.0) keeps the running statistics, but training still normalizes with the batch's. */
    @Test
    void dl4jsDecayOfOneIsNotInferenceMode() {
        MultiLayerNetwork network = dense(new BatchNormalization.Builder().useLogStd(false).decay(1.0).build());
        setStatistics(network, features);
        INDArray mean = BnParameters.runningMean(network.getLayer(1)).dup();
        INDArray gamma = BnParameters.gamma(network.getLayer(1)).dup();
        network.fit(new DataSet(features, labels));
        assertEquals(mean, BnParameters.runningMean(network.getLayer(1)));
        assertNotEquals(gamma, BnParameters.gamma(network.getLayer(1)), "gamma and beta still train");
        assertNotEquals(network.output(features, false), network.output(features, true));
    }

    /** A NoOp updater on a BN does not fix gamma and beta: it applies their raw gradient, a learning rate of 1. */
    @Test
    void dl4jsNoOpUpdaterMovesGammaByItsWholeGradient() {
        MultiLayerNetwork network = dense(new BatchNormalization.Builder().useLogStd(false).updater(new NoOp()).build());
        INDArray gamma = BnParameters.gamma(network.getLayer(1)).dup();
        network.setInput(features);
        network.setLabels(labels);
        network.computeGradientAndScore();
        INDArray gradient = network.gradient().getGradientFor("1_gamma").dup().divi(BATCH);
        network.fit(new DataSet(features, labels));
        INDArray step = gamma.sub(BnParameters.gamma(network.getLayer(1)));
        assertTrue(gradient.reshape(step.shape()).sub(step).amaxNumber().doubleValue() < 1e-10, step + " vs " + gradient);
        assertTrue(step.amaxNumber().doubleValue() > 0);
    }

    /** lockGammaBeta makes gamma and beta constants, not parameters: a pretrained BN's values cannot be kept. */
    @Test
    void dl4jsLockGammaBetaDropsThePretrainedValues() {
        MultiLayerNetwork locked = dense(new BatchNormalization.Builder().lockGammaBeta(true).build());
        assertEquals(List.of("mean", "log10stdev"), List.copyOf(locked.getLayer(1).paramTable().keySet()));
    }

    /**
     * The largest error of backpropagation's gradient against central finite differences of the
     * loss, relative to the largest finite difference, over the {@link #CHECKED_WEIGHTS} weights
     * of layer 0 with the largest gradients, with the BN's statistics and gamma and beta away
     * from their initial values.
     */
    private static double gradientError(MultiLayerNetwork network, INDArray input) {
        setStatistics(network, input);
        network.setInput(input);
        network.setLabels(Nd4j.rand(DataType.DOUBLE, BATCH, 2));
        network.computeGradientAndScore();
        INDArray gradient = network.gradient().getGradientFor("0_" + DefaultParamInitializer.WEIGHT_KEY).dup();
        INDArray weights = network.getLayer(0).getParam(DefaultParamInitializer.WEIGHT_KEY);
        double h = 1e-6;
        double largestError = 0;
        double largestDifference = 0;
        for (long i : largest(gradient, CHECKED_WEIGHTS)) {
            long[] at = Shape.ind2subC(weights.shape(), i);
            double weight = weights.getDouble(at);
            weights.putScalar(at, weight + h);
            network.computeGradientAndScore();
            double up = network.score();
            weights.putScalar(at, weight - h);
            network.computeGradientAndScore();
            double down = network.score();
            weights.putScalar(at, weight);
            double finiteDifference = (up - down) / (2 * h);
            // DL4J's gradients are sums over the batch; the updater divides them by its size
            largestError = Math.max(largestError, Math.abs(gradient.getDouble(at) / BATCH - finiteDifference));
            largestDifference = Math.max(largestDifference, Math.abs(finiteDifference));
        }
        return largestError / largestDifference;
    }

    /** C-order positions of the {@code n} entries of {@code values} largest in magnitude. */
    private static long[] largest(INDArray values, int n) {
        double[] magnitudes = Transforms.abs(Nd4j.toFlattened('c', values)).toDoubleVector();
        return LongStream.range(0, magnitudes.length).boxed()
                .sorted(Comparator.comparingDouble(i -> -magnitudes[i.intValue()]))
                .limit(n).mapToLong(Long::longValue).toArray();
    }

    /**
     * Running statistics off the statistics of {@code input}'s batch (mean shifted by half a
     * standard deviation, variance doubled), and gamma and beta away from 1 and 0: training and
     * inference mode differ, and most units stay alive after the relu.
     */
    private static void setStatistics(MultiLayerNetwork network, INDArray input) {
        Layer bn = unwrapped(network.getLayer(1));
        INDArray below = network.feedForwardToLayer(0, input, false).get(1);
        int[] perChannel = below.rank() == 4 ? new int[]{0, 2, 3} : new int[]{0};
        INDArray variance = below.var(false, perChannel);
        BnParameters.setRunningStatistics(bn, below.mean(perChannel).addi(Transforms.sqrt(variance).muli(0.5)),
                variance.mul(2));
        long n = variance.length();
        bn.getParam("gamma").assign(Nd4j.linspace(0.5, 2, n, DataType.DOUBLE).reshape(bn.getParam("gamma").shape()));
        bn.getParam("beta").assign(Nd4j.linspace(0, 0.5, n, DataType.DOUBLE).reshape(bn.getParam("beta").shape()));
    }

    /** Gamma, beta, running mean and running variance of a BN, frozen or not, as they are now. */
    private static List<INDArray> bnParameters(Layer layer) {
        Layer bn = unwrapped(layer);
        return List.of(BnParameters.gamma(bn).dup(), BnParameters.beta(bn).dup(), BnParameters.runningMean(bn).dup(),
                BnParameters.runningVariance(bn).dup());
    }

    private static Layer unwrapped(Layer layer) {
        return layer instanceof FrozenBatchNormalizationLayer frozen ? frozen.getUnderlying() : layer;
    }

    /** Dense 5 (identity) -> {@code bn} -> relu -> tanh output, in double precision, trained with Adam. */
    private static MultiLayerNetwork dense(org.deeplearning4j.nn.conf.layers.Layer bn) {
        return network(new DenseLayer.Builder().nOut(5), bn, InputType.feedForward(6));
    }

    /** Conv 3x3 (3 channels) -> {@code bn} -> relu -> tanh output on 1x5x5 images. */
    private static MultiLayerNetwork convolutional(org.deeplearning4j.nn.conf.layers.Layer bn) {
        return network(new ConvolutionLayer.Builder(3, 3).nOut(3), bn, InputType.convolutional(5, 5, 1));
    }

    private static MultiLayerNetwork network(FeedForwardLayer.Builder<?> below, org.deeplearning4j.nn.conf.layers.Layer bn,
                                             InputType input) {
        MultiLayerNetwork network = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(1)
                .dataType(DataType.DOUBLE).updater(new Adam(0.01)).list()
                .layer(below.activation(Activation.IDENTITY).build())
                .layer(bn)
                .layer(new ActivationLayer(Activation.RELU))
                .layer(new OutputLayer.Builder(LossFunction.MSE).nOut(2).activation(Activation.TANH).build())
                .setInputType(input).build());
        network.init();
        return network;
    }

    private static BatchNormalization bn() {
        return new BatchNormalization.Builder().useLogStd(false).build();
    }
}
