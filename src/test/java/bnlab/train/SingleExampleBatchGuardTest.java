package bnlab.train;

import bnlab.TestData;
import bnlab.data.BatchIterator;
import bnlab.data.InputShape;
import bnlab.model.BuiltInModel;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SingleExampleBatchGuardTest {

    /** 65 examples in batches of 32 end with a batch of one: the guard counts it, for BN networks only. */
    @Test
    void countsTheLastBatchOfOneOfABnNetwork() {
        DataSet examples = TestData.mnist().limitTrain(65).train();
        assertEquals(1, batchesOfOne(BuiltInModel.MLP_BN, examples));
        assertEquals(1, batchesOfOne(BuiltInModel.CNN_BN, examples), "cnn_bn has a dense BN too");
        assertEquals(0, batchesOfOne(BuiltInModel.MLP, examples));
    }

    private static long batchesOfOne(BuiltInModel model, DataSet examples) {
        MultiLayerNetwork network = new MultiLayerNetwork(model.configuration(1));
        network.init();
        SingleExampleBatchGuard guard = new SingleExampleBatchGuard();
        network.setListeners(guard);
        InputShape shape = InputShape.of(network.getLayerWiseConfigurations());
        network.fit(BatchIterator.shuffled(examples, 32, shape, 1));
        return guard.batchesOfOne();
    }
}
