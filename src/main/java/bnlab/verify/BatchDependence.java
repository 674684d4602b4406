package bnlab.verify;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.Locale;

/**
 * Checks 1 and 2: in inference mode an example's output does not depend on the rest of its
 * batch; in training mode it does, because BN normalizes with the batch's own statistics.
 */
final class BatchDependence {

    /** Outputs in [0, 1] computed by float32 kernels that may block a batch of 1 and of 1000 differently. */
    static final double INFERENCE_BOUND = 1e-5;
    /** "Far more" than the inference bound. */
    static final double TRAINING_FACTOR = 100;

    private static final int BATCH = 1000;
    private static final int PROBED = 100;

    private BatchDependence() {
    }

    static Check inferenceIgnoresTheBatch(Subject subject) {
        MultiLayerNetwork network = subject.network();
        INDArray batch = subject.testImages(0, BATCH);
        int position = 123;
        INDArray inBatch = network.output(batch, false).getRow(position);
        INDArray alone = network.output(subject.testImages(position, position + 1), false).getRow(0);
        int[] reversed = new int[BATCH];
        for (int i = 0; i < BATCH; i++) {
            reversed[i] = BATCH - 1 - i;
        }
        INDArray reorderedBatch = Nd4j.pullRows(batch.reshape(BATCH, -1), 1, reversed).reshape(batch.shape());
        INDArray reordered = network.output(reorderedBatch, false).getRow(BATCH - 1 - position);
        double difference = Math.max(maxAbs(inBatch.sub(alone)), maxAbs(inBatch.sub(reordered)));
        return Check.atMost("inference ignores the batch",
                "An example's inference output is the same alone, inside a batch of 1000, and inside that batch reversed",
                difference, INFERENCE_BOUND, "max |difference| of the 10 output probabilities of test image " + position,
                "a layer computes with its batch in inference mode: a layer of your own that ignores the training "
                        + "flag, or outputs taken with output(x, true); infer with output(x, false) and check custom "
                        + "layers' activate(training=false)");
    }

    static Check trainingDependsOnTheBatch(Subject subject) {
        MultiLayerNetwork network = subject.network();
        INDArray firstBatch = subject.testImages(0, BATCH);
        INDArray otherBatch = Nd4j.concat(0, subject.testImages(0, PROBED), subject.testImages(5000, 5000 + BATCH - PROBED));
        INDArray inFirst = network.output(firstBatch, true).get(NDArrayIndex.interval(0, PROBED), NDArrayIndex.all());
        INDArray inOther = network.output(otherBatch, true).get(NDArrayIndex.interval(0, PROBED), NDArrayIndex.all());
        double difference = maxAbs(inFirst.sub(inOther));
        return Check.atLeast("training mode uses the batch",
                "The same examples give different training-mode outputs in two different batches of 1000",
                difference, TRAINING_FACTOR * INFERENCE_BOUND, String.format(Locale.ROOT,
                        "max |difference| over %d examples; mean |difference| %.3g", PROBED,
                        Transforms.abs(inFirst.sub(inOther)).meanNumber().doubleValue()),
                "no BN layer normalizes with batch statistics in training mode: the network's BN layers are frozen "
                        + "(FrozenBatchNormalization or a frozen layer uses running statistics in training too) or "
                        + "there are none; verify a network whose BN layers train");
    }

    static double maxAbs(INDArray values) {
        return values.amaxNumber().doubleValue();
    }
}
