package bnlab.train;

import bnlab.TestData;
import bnlab.cpu.CpuTuning;
import bnlab.data.BatchIterator;
import bnlab.data.InputShape;
import bnlab.model.Mlp;
import bnlab.model.Normalization;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Sgd;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GradientNormListenerTest {

    private static final double LEARNING_RATE = 0.1;

    private static MultiLayerNetwork mlpBn(long seed) {
        MultiLayerNetwork network = new MultiLayerNetwork(Mlp.tutorial(seed).withNormalization(Normalization.BATCH)
                .withUpdater(new Sgd(LEARNING_RATE)).configuration());
        network.init();
        CpuTuning.apply(network);
        return network;
    }

    /**
     * Plain SGD moves each parameter by the learning rate times the gradient the update used, so
     * the size of that move, measured on the parameters, is an independent record of the gradient.
     */
    @Test
    void recordsTheGradientThatPlainSgdApplies() {
        MultiLayerNetwork network = mlpBn(1);
        GradientNormListener listener = new GradientNormListener(1);
        network.setListeners(listener);
        Map<String, INDArray> before = copy(network.paramTable());
        DataSet batch = TestData.mnist().limitTrain(32).train();

        network.fit(batch);

        assertEquals(List.of("0_W", "0_b", "1_gamma", "1_beta", "3_W", "3_b", "4_gamma", "4_beta",
                "6_W", "6_b", "7_gamma", "7_beta", "9_W", "9_b"), listener.parameters());
        for (String parameter : listener.parameters()) {
            double moved = network.getParam(parameter).sub(before.get(parameter)).norm2Number().doubleValue();
            double recorded = listener.norms(parameter)[0];
            assertTrue(recorded > 0, parameter);
            assertEquals(moved / LEARNING_RATE, recorded, 1e-3 * recorded, parameter);
        }
    }

    @Test
    void leavesOutBatchNormalizationsRunningAverages() {
        MultiLayerNetwork network = mlpBn(1);
        GradientNormListener listener = new GradientNormListener(1);
        network.setListeners(listener);
        network.fit(TestData.mnist().limitTrain(32).train());

        assertTrue(network.paramTable().containsKey("1_mean"));
        assertTrue(listener.parameters().stream().noneMatch(p -> p.endsWith("_mean") || p.endsWith("_var")),
                listener.parameters().toString());
    }

    @Test
    void recordsTheFirstIterationAndEveryFrequencyAfterIt() {
        MultiLayerNetwork network = mlpBn(2);
        GradientNormListener listener = new GradientNormListener(7);
        network.setListeners(listener);
        DataSet data = TestData.mnist().limitTrain(1000).train();
        // 10 batches per epoch, 20 iterations in all: 0, 7 and 14 are recorded.
        network.fit(BatchIterator.shuffled(data, 100, InputShape.of(network.getLayerWiseConfigurations()), 1), 2);

        assertArrayEquals(new int[]{0, 7, 14}, listener.iterations());
        for (String parameter : listener.parameters()) {
            assertEquals(3, listener.norms(parameter).length, parameter);
        }
    }

    private static Map<String, INDArray> copy(Map<String, INDArray> parameters) {
        Map<String, INDArray> copies = new HashMap<>();
        parameters.forEach((name, value) -> copies.put(name, value.dup()));
        return copies;
    }
}
