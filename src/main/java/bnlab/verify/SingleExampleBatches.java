package bnlab.verify;

import bnlab.model.BnParameters;
import bnlab.cpu.CpuTuning;
import bnlab.train.SingleExampleBatchGuard;
import bnlab.train.Validation;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.Locale;

/**
 * Check 8: training on batches of one example. DL4J raises no error, but a dense BN's batch
 * mean is then the example itself: the BN outputs exactly beta, and its running variance is
 * pulled towards 0 (the variance of one value). bnlab's {@link SingleExampleBatchGuard} must
 * warn; the damage is measured on a copy of the network.
 */
final class SingleExampleBatches {

    static final int STEPS = 100;
    static final double COLLAPSE_BOUND = 1e-6;

    private SingleExampleBatches() {
    }

    static Check areDetected(Subject subject) {
        MultiLayerNetwork copy = subject.network().clone();
        CpuTuning.apply(copy);
        SingleExampleBatchGuard guard = new SingleExampleBatchGuard();
        copy.setListeners(guard);
        Layer bn = firstDenseBatchNormalization(subject);
        INDArray single = subject.testImages(0, 1);
        INDArray output = copy.feedForwardToLayer(bn.getIndex(), single, true).get(bn.getIndex() + 1);
        double fromBeta = output.reshape(output.length()).sub(BnParameters.beta(bn)).amaxNumber().doubleValue();

        double varianceBefore = BnParameters.runningVariance(copy.getLayer(bn.getIndex())).meanNumber().doubleValue();
        double accuracyBefore = Validation.of(copy, subject.testBatches(1000)).accuracy();
        DataSet train = subject.data().train();
        for (int i = 0; i < STEPS; i++) {
            copy.fit(new DataSet(subject.shape().arrange(row(train.getFeatures(), i)), row(train.getLabels(), i)));
        }
        double varianceAfter = BnParameters.runningVariance(copy.getLayer(bn.getIndex())).meanNumber().doubleValue();
        double accuracyAfter = Validation.of(copy, subject.testBatches(1000)).accuracy();
        return new Check("batches of one example",
                "Training on one example makes dense BN output beta and pulls its running variance to 0; bnlab warns",
                fromBeta, "<= " + COLLAPSE_BOUND + " and warned", fromBeta <= COLLAPSE_BOUND && guard.batchesOfOne() == STEPS,
                String.format(Locale.ROOT, "layer %d: max |output - beta| %.2g in training mode; after %d single-example "
                                + "batches its mean running variance went %.4g -> %.4g and validation accuracy %.4f -> %.4f; "
                                + "the guard warned on %d of %d batches", bn.getIndex(), fromBeta, STEPS, varianceBefore,
                        varianceAfter, accuracyBefore, accuracyAfter, guard.batchesOfOne(), STEPS),
                guard.batchesOfOne() == STEPS
                        ? "BN no longer collapses to beta on one example: DL4J changed how it normalizes a batch of one; "
                        + "the trap may be gone, so compare with DL4J's release notes"
                        : "SingleExampleBatchGuard did not warn on every batch of one: attach it with "
                        + "network.addListeners(new SingleExampleBatchGuard()), and never train BN on batches of one "
                        + "(drop a last batch of one example)");
    }

    private static Layer firstDenseBatchNormalization(Subject subject) {
        INDArray images = subject.testImages(0, 2);
        return subject.batchNormalizationLayers().stream()
                .filter(bn -> subject.inputOf(bn.getIndex(), images, false).rank() == 2)
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("the network has no dense BatchNormalization layer"));
    }

    private static INDArray row(INDArray matrix, int index) {
        return matrix.get(NDArrayIndex.interval(index, index + 1), NDArrayIndex.all());
    }
}
