package bnlab.train;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.layers.normalization.BatchNormalization;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Arrays;
import java.util.List;

/**
 * Warns when a network with dense BatchNormalization trains on a batch of one example. DL4J
 * raises no error, but the batch's mean is the example itself and its variance zero: every
 * such BN outputs exactly its beta, whatever the input, and its running variance is pulled
 * towards zero. (A convolutional BN still has one value per pixel to average over.) Warns once
 * per network, and counts every such batch.
 */
public final class SingleExampleBatchGuard extends BaseTrainingListener {

    private static final Logger log = LoggerFactory.getLogger(SingleExampleBatchGuard.class);

    private long batchesOfOne;

    @Override
    public void onForwardPass(Model model, List<INDArray> activations) {
        MultiLayerNetwork network = (MultiLayerNetwork) model;
        if (network.getLabels().size(0) != 1 || !hasDenseBatchNormalization(network, activations)) {
            return;
        }
        if (batchesOfOne++ == 0) {
            log.warn("training on a batch of 1 example: DL4J's BatchNormalization then outputs its beta whatever the "
                    + "input, and pulls its running variance towards 0; use batches of 8 or more, or drop the "
                    + "last incomplete batch");
        }
    }

    /** Training batches of one example seen so far. */
    public long batchesOfOne() {
        return batchesOfOne;
    }

    private static boolean hasDenseBatchNormalization(MultiLayerNetwork network, List<INDArray> activations) {
        Layer[] layers = network.getLayers();
        return Arrays.stream(layers).anyMatch(layer -> layer instanceof BatchNormalization
                && activations.get(layer.getIndex()).rank() == 2);
    }
}
