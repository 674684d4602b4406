package bnlab.train;

import bnlab.cpu.NativeMemory;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Loss and accuracy of a network on a dataset in inference mode, from one forward pass. A
 * network whose outputs are not finite has diverged ({@link DivergenceListener.DivergedException}).
 *
 * @param loss       mean categorical cross-entropy
 * @param accuracy   DL4J {@link Evaluation}'s accuracy
 * @param evaluation the full evaluation, for per-class figures
 */
public record Validation(double loss, double accuracy, Evaluation evaluation) {

    /** DL4J's cross-entropy clips probabilities at this value before the log; so does this one. */
    private static final double CLIP = 1e-10;

    public static Validation of(MultiLayerNetwork network, DataSetIterator data) {
        Evaluation evaluation = new Evaluation();
        double lossSum = 0;
        long examples = 0;
        data.reset();
        while (data.hasNext()) {
            DataSet batch = data.next();
            INDArray probabilities = network.output(batch.getFeatures(), false);
            if (!Double.isFinite(probabilities.sumNumber().doubleValue())) {
                // The last update can leave NaN weights behind a finite score; DL4J's Evaluation then throws.
                throw new DivergenceListener.DivergedException("the network outputs NaN or infinite probabilities");
            }
            evaluation.eval(batch.getLabels(), probabilities);
            lossSum += crossEntropySum(batch.getLabels(), probabilities);
            examples += batch.numExamples();
            NativeMemory.bound();
        }
        return new Validation(lossSum / examples, evaluation.accuracy(), evaluation);
    }

    private static double crossEntropySum(INDArray oneHotLabels, INDArray probabilities) {
        INDArray logs = Transforms.log(Transforms.max(probabilities, CLIP, true), false);
        return -logs.muli(oneHotLabels).sumNumber().doubleValue();
    }
}
