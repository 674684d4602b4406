package bnlab.verify;

import bnlab.data.BatchIterator;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Locale;

/**
 * Check 6: DL4J's {@code model.evaluate} runs the network in inference mode: its accuracy is
 * that of the argmax of {@code output(x, false)}. Beside it, the accuracy the same test set gets
 * in training mode (batch statistics, batches of the training size) and how many predictions
 * the mode changes.
 */
final class EvaluationAgreement {

    private EvaluationAgreement() {
    }

    static Check evaluateIsInferenceMode(Subject subject) {
        MultiLayerNetwork network = subject.network();
        double evaluated = network.evaluate(subject.testBatches(1000)).accuracy();
        long examples = 0;
        long rightInInference = 0;
        long rightInTraining = 0;
        long changed = 0;
        BatchIterator batches = subject.testBatches(subject.batchSize());
        while (batches.hasNext()) {
            DataSet batch = batches.next();
            int[] truth = Nd4j.argMax(batch.getLabels(), 1).toIntVector();
            int[] inference = Nd4j.argMax(network.output(batch.getFeatures(), false), 1).toIntVector();
            int[] training = Nd4j.argMax(network.output(batch.getFeatures(), true), 1).toIntVector();
            for (int i = 0; i < truth.length; i++) {
                rightInInference += inference[i] == truth[i] ? 1 : 0;
                rightInTraining += training[i] == truth[i] ? 1 : 0;
                changed += inference[i] != training[i] ? 1 : 0;
            }
            examples += truth.length;
        }
        double argmaxAccuracy = (double) rightInInference / examples;
        return Check.atMost("evaluate() is inference mode",
                "model.evaluate(test) gives the accuracy of the argmax of output(x, false)",
                Math.abs(evaluated - argmaxAccuracy), 0, String.format(Locale.ROOT,
                        "Evaluation %.4f, argmax of output(x, false) %.4f; in training mode (batches of %d) %.4f, "
                                + "with %.2f%% of predictions changed by the mode", evaluated, argmaxAccuracy,
                        subject.batchSize(), (double) rightInTraining / examples, 100.0 * changed / examples),
                "DL4J's evaluate() no longer runs in inference mode (a changed DL4J, or a layer that ignores the "
                        + "training flag); evaluate with Evaluation on output(x, false) yourself");
    }
}
