package bnlab.advise;

import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayerWithBackprop;
import org.deeplearning4j.nn.conf.layers.recurrent.SimpleRnn;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

import java.util.List;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The DL4J 1.0.0-M2.1 behaviour the advise rules rest on, measured. If a DL4J upgrade changes
 * one of these, the rule that cites it must change too.
 */
class AdviseDl4jFactsTest {

    private static final int BATCH = 16;

    private final INDArray features = Nd4j.rand(DataType.DOUBLE, BATCH, 6).muli(4).addi(3);
    private final INDArray labels = Nd4j.rand(DataType.DOUBLE, BATCH, 2);

    /** IgnoredDropout. */
    @Test
    void dropOutOnBatchNormalizationOrActivationLayerIsNeverApplied() {
        MultiLayerNetwork plain = network(NeuralNetConfiguration.Builder::new, bn(), relu());
        MultiLayerNetwork withDropOut = network(NeuralNetConfiguration.Builder::new,
                new BatchNormalization.Builder().dropOut(0.5).build(),
                new ActivationLayer.Builder().activation(Activation.RELU).dropOut(0.5).build());
        withDropOut.setParams(plain.params());
        assertEquals(plain.feedForward(features, true), withDropOut.feedForward(features, true));

        MultiLayerNetwork everywhere = network(() -> new NeuralNetConfiguration.Builder().dropOut(0.5), bn(), relu());
        everywhere.setParams(plain.params());
        assertNotEquals(plain.output(features, true), everywhere.output(features, true),
                "dropout is applied by the layers that do apply it");
    }

    /** GradientNormalizationOnBn. */
    @Test
    void gradientNormalizationAlsoRescalesTheRunningMeanUpdate() {
        BatchNormalization excluded = new BatchNormalization.Builder().decay(0.9)
                .gradientNormalization(GradientNormalization.None).build();
        BatchNormalization included = new BatchNormalization.Builder().decay(0.9).build();
        assertTrue(runningMeanError(excluded) < 1e-6);
        assertTrue(runningMeanError(included) > 0.1);
    }

    /** TrainableBnBelowFrozenLayer and FrozenBnAboveTrainableLayers. */
    @Test
    void nothingBelowAFrozenLayerTrains() {
        MultiLayerNetwork network = network(NeuralNetConfiguration.Builder::new, bn(), relu(),
                new FrozenLayer(new DenseLayer.Builder().nOut(5).activation(Activation.RELU).build()));
        INDArray dense = network.getLayer(0).params().dup();
        INDArray bn = network.getLayer(1).params().dup();
        INDArray output = network.getLayer(4).params().dup();
        for (int i = 0; i < 3; i++) {
            network.fit(new DataSet(features, labels));
        }
        assertEquals(dense, network.getLayer(0).params());
        assertEquals(bn, network.getLayer(1).params(), "gamma, beta and the running statistics");
        assertNotEquals(output, network.getLayer(4).params(), "the layers above train");
    }

    /** FrozenBnWithBackprop: training fails with workspaces, and without them gets wrong gradients. */
    @Test
    void frozenLayerWithBackpropAroundBnIsBroken() {
        MultiLayerNetwork withWorkspaces = network(NeuralNetConfiguration.Builder::new,
                new FrozenLayerWithBackprop(bn()), relu());
        assertThrows(RuntimeException.class, () -> withWorkspaces.fit(new DataSet(features, labels)));

        double trainable = gradientError(bn());
        double frozen = gradientError(new FrozenLayerWithBackprop(bn()));
        assertTrue(trainable < 1e-4, "backprop matches finite differences through a trainable BN: " + trainable);
        assertTrue(frozen > 0.5, "but not through a frozen one: " + frozen);
    }

    /** BnInRecurrentNet: DL4J's BN takes the batch axis of sequences for the feature axis, and cannot train on them. */
    @Test
    void bnOnSequencesCannotTrain() {
        MultiLayerNetwork network = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(1).list()
                .layer(new LSTM.Builder().nOut(4).build())
                .layer(new BatchNormalization.Builder().build())
                .layer(new RnnOutputLayer.Builder(LossFunction.MSE).nOut(2).activation(Activation.IDENTITY).build())
                .setInputType(InputType.recurrent(6)).build());
        network.init();
        for (int batchSize : new int[]{4, 16}) {
            DataSet sequences = new DataSet(Nd4j.rand(batchSize, 6, 5), Nd4j.rand(batchSize, 2, 5));
            assertThrows(RuntimeException.class, () -> network.fit(sequences), "batch of " + batchSize);
        }
        assertEquals(4, network.output(Nd4j.rand(4, 6, 5), true).size(0), "runs forward when batch size = features");
        assertThrows(IllegalArgumentException.class, () -> network.output(Nd4j.rand(16, 6, 5), true));
    }

    /**
     * Why bnlab's recurrent models put layer normalization between the recurrent layers: SimpleRnn's
     * own (hasLayerNorm) cannot run, as the layer reads its gain as a row and the native
     * layer_norm op wants a vector.
     */
    @Test
    void simpleRnnsLayerNormCannotRun() {
        MultiLayerNetwork network = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(1).list()
                .layer(new SimpleRnn.Builder().nOut(4).hasLayerNorm(true).build())
                .layer(new RnnOutputLayer.Builder(LossFunction.MSE).nOut(2).activation(Activation.IDENTITY).build())
                .setInputType(InputType.recurrent(6)).build());
        network.init();
        RuntimeException e = assertThrows(RuntimeException.class, () -> network.output(Nd4j.rand(3, 6, 5)));
        assertTrue(e.getMessage().contains("Indices are out of range"), e.getMessage());
    }

    /** How far the running mean is from decay * old + (1 - decay) * batch mean after one step. */
    private double runningMeanError(BatchNormalization bn) {
        MultiLayerNetwork network = network(() -> new NeuralNetConfiguration.Builder()
                .gradientNormalization(GradientNormalization.RenormalizeL2PerLayer), bn, relu());
        INDArray batchMean = network.feedForwardToLayer(0, features, false).get(1).mean(0);
        INDArray expected = network.getLayer(1).getParam(BatchNormalizationParamInitializer.GLOBAL_MEAN).mul(0.9)
                .addi(batchMean.mul(0.1));
        network.fit(new DataSet(features, labels));
        INDArray runningMean = network.getLayer(1).getParam(BatchNormalizationParamInitializer.GLOBAL_MEAN);
        return runningMean.reshape(expected.shape()).sub(expected).amaxNumber().doubleValue();
    }

    /**
     * Relative error of backpropagation's gradient for one weight of the Dense layer below
     * {@code bn}, against central finite differences of the loss, with the BN's running
     * statistics away from their initial values.
     */
    private double gradientError(Layer bn) {
        MultiLayerNetwork network = network(() -> new NeuralNetConfiguration.Builder()
                .trainingWorkspaceMode(WorkspaceMode.NONE).inferenceWorkspaceMode(WorkspaceMode.NONE), bn, relu());
        network.getLayer(1).setParam(BatchNormalizationParamInitializer.GLOBAL_MEAN,
                Nd4j.create(new double[][]{{0.5, -1, 2, 0.1, 1}}));
        network.getLayer(1).setParam(BatchNormalizationParamInitializer.GLOBAL_VAR,
                Nd4j.create(new double[][]{{2, 0.5, 3, 1, 4}}));
        network.setInput(features);
        network.setLabels(labels);
        network.computeGradientAndScore();
        // DL4J's gradients are sums over the batch; the updater divides them by its size
        double backprop = network.gradient().getGradientFor("0_" + DefaultParamInitializer.WEIGHT_KEY)
                .getDouble(0, 0) / BATCH;
        INDArray weights = network.getLayer(0).getParam(DefaultParamInitializer.WEIGHT_KEY);
        double weight = weights.getDouble(0, 0);
        double h = 1e-6;
        weights.putScalar(0, 0, weight + h);
        network.computeGradientAndScore();
        double up = network.score();
        weights.putScalar(0, 0, weight - h);
        network.computeGradientAndScore();
        double down = network.score();
        double finiteDifference = (up - down) / (2 * h);
        return Math.abs(backprop - finiteDifference) / Math.abs(finiteDifference);
    }

    /** Dense 5 (identity) -> {@code middle} -> output, in double precision, with BN's running variance stored as is. */
    private static MultiLayerNetwork network(Supplier<NeuralNetConfiguration.Builder> base,
                                             Layer... middle) {
        NeuralNetConfiguration.ListBuilder layers = base.get().seed(1).dataType(DataType.DOUBLE).updater(new Sgd(0.1))
                .list()
                .layer(new DenseLayer.Builder().nOut(5).activation(Activation.IDENTITY).build());
        List.of(middle).forEach(layers::layer);
        MultiLayerNetwork network = new MultiLayerNetwork(layers
                .layer(new OutputLayer.Builder(LossFunction.MSE).nOut(2).activation(Activation.TANH).build())
                .setInputType(InputType.feedForward(6)).build());
        network.init();
        return network;
    }

    private static BatchNormalization bn() {
        return new BatchNormalization.Builder().useLogStd(false).build();
    }

    private static ActivationLayer relu() {
        return new ActivationLayer(Activation.RELU);
    }
}
