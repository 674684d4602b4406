package bnlab.cpu;

import bnlab.TestData;
import bnlab.data.BatchIterator;
import bnlab.data.InputShape;
import bnlab.model.BuiltInModel;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NetworkGradientUpdaterTest {

    /** The DL4J behaviour the updater works around; if this fails, DL4J is fixed and the class can go. */
    @Test
    void dl4jHandsTheUpdaterANewArrayForTheNetworksOwnGradient() {
        MultiLayerNetwork network = network(BuiltInModel.MLP);
        computeGradient(network, batches(network).next());
        assertNotSame(network.getFlattenedGradients(), network.gradient().gradient());
        assertTrue(NetworkGradientUpdater.isView(network.gradient().gradient(), network.getFlattenedGradients()));
        assertFalse(NetworkGradientUpdater.isView(network.gradient().gradient().dup(), network.getFlattenedGradients()));
    }

    /**
     * Same steps, to the bit: parameters, BN's running statistics and Adam's state, also when
     * installed in the middle of training.
     */
    @Test
    void trainsExactlyAsDl4jsOwnUpdater() {
        for (BuiltInModel model : new BuiltInModel[]{BuiltInModel.MLP, BuiltInModel.MLP_BN}) {
            MultiLayerNetwork dl4j = network(model);
            MultiLayerNetwork ours = network(model);
            BatchIterator batches = batches(dl4j);
            for (int i = 0; i < 5; i++) {
                if (i == 2) {
                    NetworkGradientUpdater.install(ours);
                }
                DataSet batch = batches.next();
                dl4j.fit(batch);
                ours.fit(batch);
            }
            assertTrue(ours.getUpdater() instanceof NetworkGradientUpdater);
            assertEquals(dl4j.params(), ours.params(), model + " parameters");
            assertEquals(dl4j.getUpdater().getStateViewArray(), ours.getUpdater().getStateViewArray(), model + " Adam");
        }
    }

    @Test
    void installingTwiceKeepsTheFirstUpdaterAndItsState() {
        MultiLayerNetwork network = network(BuiltInModel.MLP);
        NetworkGradientUpdater.install(network);
        network.fit(batches(network).next());
        Object first = network.getUpdater();
        NetworkGradientUpdater.install(network);
        assertTrue(first == network.getUpdater());
        assertTrue(network.getUpdater().getStateViewArray().amaxNumber().doubleValue() > 0);
    }

    private static void computeGradient(MultiLayerNetwork network, DataSet batch) {
        network.setInput(batch.getFeatures());
        network.setLabels(batch.getLabels());
        network.computeGradientAndScore();
    }

    private static BatchIterator batches(MultiLayerNetwork network) {
        return BatchIterator.inOrder(TestData.mnist().train(), 32, InputShape.of(network.getLayerWiseConfigurations()));
    }

    private static MultiLayerNetwork network(BuiltInModel model) {
        MultiLayerNetwork network = new MultiLayerNetwork(model.configuration(5));
        network.init();
        return network;
    }
}
