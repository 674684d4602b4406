package bnlab.experiment;

import bnlab.data.DataSettings;
import bnlab.data.KnownDataset;
import bnlab.data.TrainTest;
import bnlab.model.KerasBatchNorm;
import bnlab.report.Charts;
import bnlab.report.RunFolder;
import bnlab.train.ActivationDistributionListener.Site;
import bnlab.train.ActivationDistributionListener;
import bnlab.train.EpochRecord;
import bnlab.train.History;
import bnlab.train.RunName;
import org.deeplearning4j.nn.api.Layer.TrainingMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration.ListBuilder;
import org.deeplearning4j.nn.conf.distribution.NormalDistribution;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.knowm.xchart.XYChart;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Figure 1 of Ioffe and Szegedy (2015), reproduced: on MNIST, 3 fully connected hidden layers of
 * 100 sigmoid units, small random Gaussian initial weights, batches of 60 for 50,000 steps,
 * without BN and with BN before each sigmoid. (a) Test accuracy against steps; (b, c) the 15th,
 * 50th and 85th percentiles of the input to one sigmoid of the last hidden layer as training
 * goes, over a fixed probe batch, without and with BN.
 * <p>
 * The paper leaves the optimizer, learning rate and the Gaussian's scale open. Like the rest of
 * bnlab, whose tutorial is written for Keras, this takes Keras's defaults for what is left open,
 * chosen before any run: plain SGD at Keras's default learning rate 0.01, weights from
 * Keras's RandomNormal default N(0, 0.05²), and BN with Keras's momentum 0.99 and epsilon 1e-3.
 */
public final class Ioffe implements Experiment {

    static final int HIDDEN_LAYERS = 3;
    static final int WIDTH = 100;
    static final double LEARNING_RATE = 0.01;
    static final double INITIAL_WEIGHT_SD = 0.05;
    /** The probe: the first 1000 test images, the same for every record and both networks. */
    static final int PROBE_SIZE = 1000;
    static final double[] PERCENTILES = {15, 50, 85};
    /**
     * About this many records of the distribution per run, whatever its length: every 250 steps
     * of the full run. A record passes the probe (about 17 batches) forward once.
     */
    static final int RECORDS = 200;
    /** The sigmoid watched: the last hidden layer's first unit, chosen before looking at any. */
    static final int UNIT = 0;
    private static final String WITHOUT_BN = "no_bn";
    private static final String WITH_BN = "bn";


    @Override
    public String claim() {
        return "With BN the network trains faster and reaches higher accuracy, and the input distribution of a "
                + "sigmoid stays stable during training, where without BN it shifts in mean and spread "
                + "(Ioffe and Szegedy 2015, Figure 1).";
    }

    /** 50 epochs of 1000 batches of 60: the paper's 50,000 steps. */
    @Override
    public ExperimentSettings defaults() {
        return new ExperimentSettings(DataSettings.mnist(), 50, 60, 1, false);
    }

    /** 10 epochs of 100 batches of 60: 1,000 steps. */
    @Override
    public ExperimentSettings quick() {
        return new ExperimentSettings(new DataSettings(KnownDataset.MNIST, null, 6000), 10, 60, 1, true);
    }

    @Override
    public Plan plan(ExperimentSettings settings, TrainTest data) {
        int frequency = Math.max(1, settings.epochs() * stepsPerEpoch(settings, data) / RECORDS);
        List<Runner.Run> runs = new ArrayList<>();
        for (long seed : settings.seedList()) {
            for (boolean batchNorm : List.of(false, true)) {
                RunName name = RunName.of(batchNorm ? WITH_BN : WITHOUT_BN, seed);
                MultiLayerConfiguration configuration = network(batchNorm, seed);
                // Training mode: the sigmoid's input as the sigmoid receives it while the network trains.
                Site sigmoidInput = sigmoidInput(configuration);
                runs.add(new Runner.Run(name, configuration, settings.training(seed), List.of(trainingData ->
                        new ActivationDistributionListener(probe(trainingData), List.of(sigmoidInput), PERCENTILES, frequency,
                                TrainingMode.TRAIN))));
            }
        }
        return new Plan(settings, data, runs);
    }

    /**
     * Dense (no activation) -> [BN ->] sigmoid, three times, then softmax. The sigmoid is a layer
     * of its own in both networks so that its input is a layer's output the listener can record.
     */
    static MultiLayerConfiguration network(boolean batchNorm, long seed) {
        ListBuilder layers = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .updater(new Sgd(LEARNING_RATE))
                .weightInit(new NormalDistribution(0, INITIAL_WEIGHT_SD))
                .list();
        for (int i = 0; i < HIDDEN_LAYERS; i++) {
            layers.layer(new DenseLayer.Builder().nOut(WIDTH).activation(Activation.IDENTITY).build());
            if (batchNorm) {
                layers.layer(KerasBatchNorm.layer());
            }
            layers.layer(new ActivationLayer(Activation.SIGMOID));
        }
        return layers.layer(new OutputLayer.Builder(LossFunction.MCXENT).nOut(KnownDataset.CLASSES)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.feedForward(KnownDataset.PIXELS))
                .build();
    }

    /** The input to the last hidden layer's sigmoid {@link #UNIT}: the output of the layer before it. */
    static Site sigmoidInput(MultiLayerConfiguration configuration) {
        int lastSigmoid = IntStream.range(0, configuration.getConfs().size())
                .filter(i -> configuration.getConf(i).getLayer() instanceof ActivationLayer)
                .max().orElseThrow();
        return Site.unit(lastSigmoid - 1, UNIT);
    }

    @Override
    public Findings findings(Plan plan, Results results, RunFolder out) {
        List<History> histories = results.histories();
        ExperimentSettings settings = plan.settings();
        Map<String, SeedStatistics> accuracy = Variants.finalFigure(histories, EpochRecord::valAccuracy);
        int stepsPerEpoch = stepsPerEpoch(settings, plan.data());
        AccuracyOverSteps testAccuracy = new AccuracyOverSteps(histories, stepsPerEpoch, WITHOUT_BN, WITH_BN);
        SigmoidInputs sigmoidInputs = SigmoidInputs.of(results);
        XYChart withoutBn = sigmoidInputs.percentiles("(b) Without BN", WITHOUT_BN);
        XYChart withBn = sigmoidInputs.percentiles("(c) With BN", WITH_BN);
        Charts.sameYRange(withoutBn, withBn);
        out.writePng("figure1.png", Charts.sideBySide(testAccuracy.chart("(a) Test accuracy"), withoutBn, withBn));
        out.writeString("sigmoid-input.csv", sigmoidInputs.csv());
        Verdict verdict = new Verdict("BN trains faster", "without BN " + sigmoidInputs.drift(WITHOUT_BN)
                + "; with BN " + sigmoidInputs.drift(WITH_BN), Comparison.of("final test accuracy", true, WITH_BN,
                accuracy.get(WITH_BN), WITHOUT_BN, accuracy.get(WITHOUT_BN)));
        StringBuilder markdown = new StringBuilder(Variants.table(histories))
                .append("\n").append(testAccuracy.table(settings.epochs()))
                .append("\n").append(sigmoidInputs.table(WITHOUT_BN, WITH_BN))
                .append(String.format(Locale.ROOT, "%nOptimizer: plain SGD, learning rate %s, no momentum; initial "
                                + "weights N(0, %s²); BN decay %s, epsilon %s. Test accuracy is measured after every "
                                + "epoch (%d steps). The sigmoid's input is recorded in training mode (BN normalizes "
                                + "the probe with its own statistics, as it does every training batch) over the first "
                                + "%d test images, for unit %d of the last hidden layer; a run resumed from a "
                                + "checkpoint records from where it resumed.%n", LEARNING_RATE, INITIAL_WEIGHT_SD,
                        KerasBatchNorm.DECAY, KerasBatchNorm.EPSILON, stepsPerEpoch, PROBE_SIZE, UNIT))
                .append("\nEvery recorded percentile of every run is in sigmoid-input.csv.\n")
                .append("\n![Figure 1](figure1.png)\n");
        return new Findings(verdict, markdown.toString());
    }

    /** The probe: the first {@link #PROBE_SIZE} test images. */
    private static INDArray probe(TrainTest data) {
        return data.test().getFeatures().getRows(IntStream.range(0, PROBE_SIZE).toArray());
    }

    private static int stepsPerEpoch(ExperimentSettings settings, TrainTest data) {
        return (data.train().numExamples() + settings.batchSize() - 1) / settings.batchSize();
    }
}
