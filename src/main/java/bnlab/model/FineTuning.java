package bnlab.model;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.transferlearning.FineTuneConfiguration;
import org.deeplearning4j.nn.transferlearning.TransferLearning;
import org.deeplearning4j.nn.weights.WeightInitXavierUniform;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Carrying a bnlab network to a task with other classes, with DL4J's TransferLearning. The
 * softmax head is always replaced: when the label set changes, no output of the old head means
 * anything for the new task, so the new head has one output per new class.
 */
public final class FineTuning {

    private FineTuning() {
    }

    /** {@code configuration} with its softmax output sized for {@code classes} classes, to train on a class subset. */
    public static MultiLayerConfiguration withClasses(MultiLayerConfiguration configuration, int classes) {
        MultiLayerConfiguration resized = configuration.clone();
        ((OutputLayer) resized.getConf(resized.getConfs().size() - 1).getLayer()).setNOut(classes);
        return resized;
    }

    /**
     * TransferLearning's builder for {@code pretrained} with its head replaced by a new softmax
     * head of {@code classes} outputs, initialized as bnlab's networks are (Xavier uniform) from
     * {@code seed}, with the old head's updater. Everything is trainable unless the caller goes on to freeze layers
     * ({@code setFeatureExtractor}).
     */
    public static TransferLearning.Builder newHead(MultiLayerNetwork pretrained, int classes, long seed) {
        OutputLayer oldHead = (OutputLayer) pretrained.getLayerWiseConfigurations()
                .getConf(pretrained.getnLayers() - 1).getLayer();
        OutputLayer head = Blocks.softmaxOutput(classes);
        head.setNIn(oldHead.getNIn());
        head.setWeightInitFn(new WeightInitXavierUniform());
        // An added layer without an updater of its own gets DL4J's default, SGD at 1e-3, not the network's.
        head.setIUpdater(oldHead.getIUpdater().clone());
        // TransferLearning initializes added layers from ND4J's global generator, not from the configured seed.
        Nd4j.getRandom().setSeed(seed);
        return new TransferLearning.Builder(pretrained)
                .fineTuneConfiguration(new FineTuneConfiguration.Builder().seed(seed).build())
                .removeOutputLayer()
                .addLayer(head);
    }

    /** The index of the last layer below the head: {@code setFeatureExtractor} with it freezes everything but the head. */
    public static int lastHiddenLayer(MultiLayerNetwork network) {
        return network.getnLayers() - 2;
    }
}
