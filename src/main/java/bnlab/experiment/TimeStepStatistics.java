package bnlab.experiment;

import bnlab.data.InputShape;
import bnlab.data.TrainTest;
import bnlab.model.BnParameters;
import bnlab.model.ModelFiles;
import bnlab.report.MarkdownTable;
import bnlab.report.RunFolder;
import bnlab.train.History;
import bnlab.train.Status;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** The recurrent experiment's measure of why one set of BN statistics fits no single time step. */
final class TimeStepStatistics {

    /** Time steps shown in the per-step statistics, 1 for the first. */
    static final int[] STEPS_SHOWN = {1, 2, 3, 5, 10, 20, 28};
    /** Test sequences whose activations give the per-step statistics. */
    static final int STATISTICS_EXAMPLES = 2000;

    private TimeStepStatistics() {
    }

    /**
     * For the first seed's BN networks: how far the statistics of the first recurrent layer's
     * output at single time steps (over test sequences, in inference mode) lie from the running
     * statistics BN normalizes every step with, averaged over the features: the mean's distance
     * in running standard deviations, and the step's standard deviation as a multiple of the
     * running one.
     */
    static String table(List<History> histories, RunFolder out, TrainTest data) {
        List<History> firstSeedBn = Variants.byVariant(histories).entrySet().stream()
                .filter(e -> e.getKey().endsWith("_bn"))
                .map(e -> e.getValue().get(0))
                .filter(h -> h.status() == Status.DONE)
                .toList();
        if (firstSeedBn.isEmpty()) {
            return "";
        }
        List<String> headers = new ArrayList<>(List.of("model"));
        Arrays.stream(STEPS_SHOWN).forEach(step -> headers.add("step " + step));
        MarkdownTable table = MarkdownTable.of(headers);
        INDArray sequences = InputShape.SEQUENCE.arrange(data.test().getFeatures()
                .get(NDArrayIndex.interval(0, STATISTICS_EXAMPLES), NDArrayIndex.all()));
        for (History history : firstSeedBn) {
            MultiLayerNetwork network = ModelFiles.load(out.resolve("models/" + history.model() + ".zip"));
            Layer bn = network.getLayer(1);
            INDArray outputs = network.feedForwardToLayer(0, sequences, false).get(1).castTo(DataType.DOUBLE);
            INDArray runningMean = BnParameters.runningMean(bn).castTo(DataType.DOUBLE);
            INDArray runningSd = Transforms.sqrt(BnParameters.runningVariance(bn).castTo(DataType.DOUBLE)
                    .add(BnParameters.epsilon(bn)), false);
            List<String> cells = new ArrayList<>(List.of(history.model()));
            for (int step : STEPS_SHOWN) {
                INDArray atStep = outputs.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.point(step - 1));
                double shift = Transforms.abs(atStep.mean(0).subi(runningMean), false).divi(runningSd)
                        .meanNumber().doubleValue();
                double ratio = Transforms.sqrt(atStep.var(false, 0).addi(BnParameters.epsilon(bn)), false)
                        .divi(runningSd).meanNumber().doubleValue();
                cells.add(String.format(Locale.ROOT, "%.2f, %.2f", shift, ratio));
            }
            table.row(cells);
        }
        return String.format(Locale.ROOT, "BN's statistics against single time steps (%d test sequences, first seed): "
                + "|step mean - running mean| / running sd, and step sd / running sd, averaged over the features. "
                + "Both would be 0 and 1 if every step had the pooled statistics.%n%n", STATISTICS_EXAMPLES) + table;
    }
}
