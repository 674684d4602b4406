package bnlab.verify;

import bnlab.data.BatchIterator;
import bnlab.model.BnParameters;
import bnlab.cpu.CpuTuning;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.layers.normalization.BatchNormalization;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Checks 4 and 5: BN's running statistics follow the data, and only training changes them.
 *
 * <p>After each training batch DL4J sets running = decay * running + (1 - decay) * batch
 * statistic, for the mean and for the biased batch variance. With bnlab's decay of 0.99 (Keras's
 * momentum) that is an average over roughly the last 1 / (1 - decay) = 100 batches, each taken
 * with the weights of its time. Two things separate it from the statistics of the final
 * network: the noise of those batch estimates (about 0.01 standard deviations for the mean at
 * batch 32), and the drift of the weights during those 100 batches, which dominates while the
 * optimizer still moves them (measured: docs/VERIFY.md). The first steps also carry the initial
 * values (mean 0, variance 1), down to 0.99^n of them after n steps.
 *
 * <p>The bounds are about effect: a running mean off by a quarter of a standard deviation, or a
 * variance off by a quarter, moves a BN output by at most about a quarter of its unit spread.
 */
final class RunningStatistics {

    /** Mean relative error of the running variance, over features. */
    static final double VARIANCE_BOUND = 0.25;
    /** Mean error of the running mean in standard deviations of the input, over features. */
    static final double MEAN_BOUND = 0.25;

    private RunningStatistics() {
    }

    /** Per-feature (or per-channel) mean and variance of a BN layer's input over a dataset. */
    record Moments(INDArray mean, INDArray variance) {
    }

    /**
     * Check 4, two per BN layer: its running mean and variance against the mean and variance of
     * its input over the training set (inference mode, so earlier BN layers use their running
     * statistics too).
     */
    static List<Check> trackTheData(Subject subject) {
        List<Layer> layers = subject.batchNormalizationLayers();
        List<Moments> data = inputMoments(subject.network(), layers, subject.trainBatches(1000));
        List<Check> checks = new ArrayList<>();
        int updates = subject.network().getIterationCount();
        for (int i = 0; i < layers.size(); i++) {
            Layer bn = layers.get(i);
            String ifFailed = whyRunningStatisticsLag(bn, updates);
            Moments moments = data.get(i);
            INDArray meanErrors = Transforms.abs(BnParameters.runningMean(bn).castTo(DataType.DOUBLE).sub(moments.mean()))
                    .divi(Transforms.sqrt(moments.variance()));
            INDArray varianceErrors = Transforms.abs(BnParameters.runningVariance(bn).castTo(DataType.DOUBLE)
                    .sub(moments.variance())).divi(moments.variance());
            checks.add(Check.atMost("running mean, layer " + bn.getIndex(),
                    "BN layer " + bn.getIndex() + "'s running mean matches the mean of its input over the training set, "
                            + "in standard deviations of that input, averaged over features",
                    meanErrors.meanNumber().doubleValue(), MEAN_BOUND, spread(meanErrors, "standard deviations"),
                    ifFailed));
            checks.add(Check.atMost("running variance, layer " + bn.getIndex(),
                    "BN layer " + bn.getIndex() + "'s running variance matches the variance of its input over the "
                            + "training set, as a relative error averaged over features",
                    varianceErrors.meanNumber().doubleValue(), VARIANCE_BOUND, spread(varianceErrors, "relative"),
                    ifFailed));
        }
        return checks;
    }

    /**
     * Why running statistics fail to track the data: after n updates with decay d a share d^n of
     * their initial values (mean 0, variance 1) is still in them; once that is gone, they trail
     * weights that still move fast.
     */
    private static String whyRunningStatisticsLag(Layer bn, int updates) {
        double decay = ((org.deeplearning4j.nn.conf.layers.BatchNormalization) bn.conf().getLayer()).getDecay();
        double initialShare = Math.pow(decay, updates);
        String cause = initialShare >= 0.01
                ? String.format(Locale.ROOT, "too little training for the running averages: with decay %s, after %d "
                + "updates %.0f%% of their initial values (mean 0, variance 1) are still in them", decay, updates,
                100 * initialShare)
                : String.format(Locale.ROOT, "the running averages (decay %s, about the last %.0f batches) trail "
                + "weights that still move fast, as at a high learning rate", decay, 1 / (1 - decay));
        return cause + "; train longer, or recompute them exactly with 'precise-bn MODEL_ZIP' (PreciseBn in code)";
    }

    private static String spread(INDArray errors, String unit) {
        return String.format(Locale.ROOT, "error %s: mean %.4f, max %.4f over %d features or channels", unit,
                errors.meanNumber().doubleValue(), errors.maxNumber().doubleValue(), errors.length());
    }

    /** Check 5: a training-mode forward pass leaves the running statistics alone; fit changes them. */
    static Check onlyTrainingUpdatesThem(Subject subject) {
        MultiLayerNetwork copy = subject.network().clone();
        CpuTuning.apply(copy);
        INDArray before = runningStatistics(copy);
        copy.output(subject.testImages(0, 500), true);
        double changedByForward = before.sub(runningStatistics(copy)).amaxNumber().doubleValue();
        copy.fit(subject.trainBatches(subject.batchSize()).next());
        double changedByFit = before.sub(runningStatistics(copy)).amaxNumber().doubleValue();
        return new Check("only fit updates running statistics",
                "output(x, true) leaves every BN's running mean and variance unchanged; fit() on one batch changes them",
                changedByForward, "0 after output; > 0 after fit", changedByForward == 0 && changedByFit > 0,
                String.format(Locale.ROOT, "largest change: %s after output(x, true), %.3g after fit on one batch",
                        changedByForward, changedByFit),
                changedByForward != 0
                        ? "a training-mode forward pass updates running statistics: a layer of your own that does, or a "
                        + "changed DL4J; update them only in fit (or backprop)"
                        : "fit does not move the running statistics: decay is 1, or the BN layers are frozen or have "
                        + "no updater step; unfreeze them, or recompute their statistics with 'precise-bn'");
    }

    /** Mean and variance of each BN layer's input over {@code batches}, in inference mode, in double precision. */
    static List<Moments> inputMoments(MultiLayerNetwork network, List<Layer> layers, BatchIterator batches) {
        int deepest = layers.get(layers.size() - 1).getIndex();
        INDArray[] sums = new INDArray[layers.size()];
        INDArray[] squares = new INDArray[layers.size()];
        long[] counts = new long[layers.size()];
        while (batches.hasNext()) {
            List<INDArray> activations = network.feedForwardToLayer(deepest, batches.next().getFeatures(), false);
            for (int i = 0; i < layers.size(); i++) {
                INDArray input = activations.get(layers.get(i).getIndex()).castTo(DataType.DOUBLE);
                int[] overExamples = input.rank() == 4 ? new int[]{0, 2, 3} : new int[]{0};
                INDArray sum = input.sum(overExamples);
                INDArray square = input.mul(input).sum(overExamples);
                sums[i] = sums[i] == null ? sum : sums[i].addi(sum);
                squares[i] = squares[i] == null ? square : squares[i].addi(square);
                counts[i] += input.length() / input.size(1);
            }
        }
        List<Moments> moments = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            INDArray mean = sums[i].div(counts[i]);
            moments.add(new Moments(mean, squares[i].div(counts[i]).subi(mean.mul(mean))));
        }
        return moments;
    }

    private static INDArray runningStatistics(MultiLayerNetwork network) {
        List<INDArray> all = new ArrayList<>();
        for (Layer layer : network.getLayers()) {
            if (layer instanceof BatchNormalization) {
                all.add(BnParameters.runningMean(layer).dup());
                all.add(BnParameters.runningVariance(layer).dup());
            }
        }
        return Nd4j.concat(0, all.toArray(INDArray[]::new));
    }
}
