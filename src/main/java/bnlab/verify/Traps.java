package bnlab.verify;

import bnlab.data.BatchIterator;
import bnlab.data.InputShape;
import bnlab.data.TrainTest;
import bnlab.model.BnParameters;
import bnlab.model.Mlp;
import bnlab.model.Normalization;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * DL4J behaviours around BatchNormalization that surprise users coming from Keras or PyTorch,
 * each demonstrated by measurement.
 */
final class Traps {

    private Traps() {
    }

    /**
     * DL4J updates BN's running mean and variance through the gradient (as the change each
     * batch makes to them), so a network-wide gradient normalization rescales those updates as
     * well, and the running averages no longer follow {@code decay}. bnlab's BN layers opt out.
     * Measured on one step: how far the first BN's running mean moves, as a multiple of what
     * decay prescribes.
     */
    static Check gradientNormalizationSparesBn(TrainTest data, long seed) {
        GradientNormalization normalization = GradientNormalization.RenormalizeL2PerLayer;
        MultiLayerConfiguration optedOut = Mlp.tutorial(seed).withNormalization(Normalization.BATCH)
                .withGradientNormalization(normalization).configuration();
        MultiLayerConfiguration exposed = optedOut.clone();
        exposed.getConfs().stream().map(NeuralNetConfiguration::getLayer)
                .filter(layer -> layer instanceof BatchNormalization)
                .forEach(bn -> ((BatchNormalization) bn).setGradientNormalization(normalization));
        DataSet batch = firstBatch(data);
        double optedOutScale = runningMeanStep(optedOut, batch);
        double exposedScale = runningMeanStep(exposed, batch);
        return new Check("gradient normalization spares BN",
                "A network-wide " + normalization + " rescales BN's running-statistics updates unless the BN layers "
                        + "opt out, as bnlab's do", optedOutScale, "1 +- 1e-4 (the step decay prescribes)",
                Math.abs(optedOutScale - 1) <= 1e-4, String.format(Locale.ROOT, "one training step: the first BN's "
                        + "running mean moved %.5f times the step decay prescribes with BN opted out, %.4g times "
                        + "with BN exposed", optedOutScale, exposedScale),
                "BN layers take the network-wide gradient normalization, which rescales their running-statistics "
                        + "updates: give each BatchNormalization layer .gradientNormalization(GradientNormalization.None) "
                        + "(bnlab's builders do; 'advise' flags it)");
    }

    /**
     * {@code dropOut(p)} on a BatchNormalization or ActivationLayer is accepted and silently
     * ignored: those layers' forward passes never apply it.
     */
    static Check dropoutIgnoredOnBnAndActivation(TrainTest data) {
        MultiLayerNetwork with = smallBnNetwork(0.5);
        MultiLayerNetwork without = smallBnNetwork(Double.NaN);
        without.setParams(with.params());
        INDArray images = data.test().getFeatures().getRows(range(256));
        double difference = with.output(images, true).sub(without.output(images, true)).amaxNumber().doubleValue();
        return Check.atMost("dropOut on BN is ignored",
                "dropOut(0.5) on a BatchNormalization and an ActivationLayer changes nothing, even in training mode",
                difference, 0, "max |difference| of training-mode outputs with and without it, 256 test images",
                "DL4J now applies dropOut on BatchNormalization or ActivationLayer: the trap is gone in this DL4J, "
                        + "so 'advise' should stop flagging it");
    }

    /**
     * DL4J's {@code dropOut(p)} takes the probability of keeping a value (Keras's and PyTorch's
     * take the probability of dropping it), and applies to the layer's input.
     */
    static Check dropoutTakesTheKeepProbability() {
        double keep = 0.8;
        int width = 1000;
        MultiLayerNetwork network = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(1).list()
                .layer(new DenseLayer.Builder().nIn(width).nOut(width).activation(Activation.IDENTITY).dropOut(keep).build())
                .layer(new OutputLayer.Builder(LossFunction.MSE).nIn(width).nOut(1).activation(Activation.IDENTITY).build())
                .build());
        network.init();
        network.getLayer(0).setParam("W", Nd4j.eye(width));
        network.getLayer(0).setParam("b", Nd4j.zeros(1, width));
        INDArray passed = network.feedForwardToLayer(0, Nd4j.ones(100, width), true).get(1);
        double kept = passed.neq(0).castTo(passed.dataType()).meanNumber().doubleValue();
        return Check.atMost("dropOut(p) keeps p",
                "dropOut(" + keep + ") keeps each input value with probability " + keep + ", not drops it",
                Math.abs(kept - keep), 0.01, String.format(Locale.ROOT, "share of the layer's inputs kept: %.4f "
                        + "(100 x 1000 values through an identity layer); kept values are scaled by 1/p", kept),
                "DL4J's dropOut(p) no longer keeps a share p of the inputs: check its meaning in this DL4J before "
                        + "porting a Keras or PyTorch rate");
    }

    /**
     * DL4J's {@code decay} is Keras's {@code momentum} and 1 - PyTorch's {@code momentum}: each
     * step moves a running mean (1 - decay) of the way to the batch mean.
     */
    static Check decayIsKerasMomentum(TrainTest data, long seed) {
        double scale = runningMeanStep(Mlp.tutorial(seed).withNormalization(Normalization.BATCH).configuration(),
                firstBatch(data));
        return Check.atMost("decay is Keras's momentum",
                "One step moves a running mean (1 - decay) of the way to the batch mean: decay = Keras's momentum "
                        + "= 1 - PyTorch's momentum", Math.abs(scale - 1), 1e-4, String.format(Locale.ROOT,
                        "the first BN's running mean moved %.6f times (1 - decay) x (batch mean - running mean)", scale),
                "the running mean does not move (1 - decay) of the way: DL4J changed its update, or gradient "
                        + "normalization reaches BN; set Keras's momentum m as decay(m), PyTorch's as decay(1 - m)");
    }

    /**
     * Trains a new network from {@code configuration} one step on {@code batch} and returns how far
     * its first BN's running mean moved, as a multiple of (1 - decay) x (batch mean - running mean).
     */
    private static double runningMeanStep(MultiLayerConfiguration configuration, DataSet batch) {
        MultiLayerNetwork network = new MultiLayerNetwork(configuration);
        network.init();
        Layer bn = Arrays.stream(network.getLayers())
                .filter(l -> l instanceof org.deeplearning4j.nn.layers.normalization.BatchNormalization)
                .findFirst().orElseThrow();
        INDArray before = BnParameters.runningMean(bn).dup();
        INDArray batchMean = network.feedForwardToLayer(bn.getIndex(), batch.getFeatures(), true).get(bn.getIndex()).mean(0);
        double decay = ((BatchNormalization) bn.conf().getLayer()).getDecay();
        network.fit(batch);
        INDArray prescribed = batchMean.sub(before).muli(1 - decay);
        INDArray moved = BnParameters.runningMean(bn).sub(before);
        return moved.norm2Number().doubleValue() / prescribed.norm2Number().doubleValue();
    }

    private static DataSet firstBatch(TrainTest data) {
        return BatchIterator.inOrder(data.train(), 64, InputShape.FLAT).next();
    }

    /** Dense 784 -> 16 -> BN -> relu -> output, with the given dropOut on the BN and Activation layers (NaN: none). */
    private static MultiLayerNetwork smallBnNetwork(double dropOut) {
        BatchNormalization.Builder bn = new BatchNormalization.Builder();
        ActivationLayer.Builder relu = new ActivationLayer.Builder().activation(Activation.RELU);
        if (!Double.isNaN(dropOut)) {
            bn.dropOut(dropOut);
            relu.dropOut(dropOut);
        }
        MultiLayerNetwork network = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(3).list()
                .layer(new DenseLayer.Builder().nIn(784).nOut(16).activation(Activation.IDENTITY).build())
                .layer(bn.build())
                .layer(relu.build())
                .layer(new OutputLayer.Builder(LossFunction.MCXENT).nOut(10).activation(Activation.SOFTMAX).build())
                .setInputType(InputType.feedForward(784))
                .build());
        network.init();
        return network;
    }

    private static int[] range(int n) {
        int[] rows = new int[n];
        for (int i = 0; i < n; i++) {
            rows[i] = i;
        }
        return rows;
    }

    /** The traps, in the order the report lists them. */
    static List<Check> all(TrainTest data, long seed) {
        return List.of(gradientNormalizationSparesBn(data, seed), dropoutIgnoredOnBnAndActivation(data),
                dropoutTakesTheKeepProbability(), decayIsKerasMomentum(data, seed));
    }
}
