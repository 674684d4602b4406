package bnlab.bench;

import bnlab.bench.Benchmark.Spread;
import bnlab.data.BatchIterator;
import bnlab.data.InputShape;
import bnlab.data.TrainTest;
import bnlab.infer.BnFolding;
import bnlab.infer.BnFolding.Fold;
import bnlab.cpu.CpuTuning;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

import java.util.List;

/**
 * How a folded network compares with its original on the test set.
 *
 * @param folds                     the BN layers folded, by their indices in the original
 * @param maxAbsDifference          largest difference of any output (a softmax probability) on the test set
 * @param predictionsChanged        test examples whose predicted class differs
 * @param originalExamplesPerSecond inference throughput of the original, batches of {@value Benchmark#INFERENCE_BATCH_SIZE}
 * @param foldedExamplesPerSecond   the same for the folded network, measured interleaved with the original's
 * @param speedUp                   ratio of the median throughputs, folded over original
 */
public record FoldReport(List<Fold> folds, int layersBefore, int layersAfter, long paramsBefore, long paramsAfter,
                         int testExamples, double maxAbsDifference, long predictionsChanged,
                         Spread originalExamplesPerSecond, Spread foldedExamplesPerSecond, double speedUp) {

    /** Runs both networks over {@code data}'s test set, for agreement and then {@code repeats} times for speed. */
    public static FoldReport measure(MultiLayerNetwork original, BnFolding.Folded folded, TrainTest data, int repeats) {
        MultiLayerNetwork network = folded.network();
        CpuTuning.apply(original);
        CpuTuning.apply(network);
        double maxAbsDifference = 0;
        long predictionsChanged = 0;
        BatchIterator test = BatchIterator.inOrder(data.test(), Benchmark.INFERENCE_BATCH_SIZE,
                InputShape.of(original.getLayerWiseConfigurations()));
        while (test.hasNext()) {
            DataSet batch = test.next();
            INDArray expected = original.output(batch.getFeatures(), false);
            INDArray actual = network.output(batch.getFeatures(), false);
            maxAbsDifference = Math.max(maxAbsDifference, expected.sub(actual).amaxNumber().doubleValue());
            predictionsChanged += expected.argMax(1).neq(actual.argMax(1)).castTo(expected.dataType())
                    .sumNumber().longValue();
        }
        List<Spread> speeds = Benchmark.inference(List.of(original, network), data, repeats);
        return new FoldReport(folded.folds(), original.getnLayers(), network.getnLayers(), original.numParams(),
                network.numParams(), test.numExamples(), maxAbsDifference, predictionsChanged, speeds.get(0),
                speeds.get(1), speeds.get(1).median() / speeds.get(0).median());
    }
}
