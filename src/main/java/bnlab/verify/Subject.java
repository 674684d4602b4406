package bnlab.verify;

import bnlab.data.BatchIterator;
import bnlab.data.InputShape;
import bnlab.data.TrainTest;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.layers.normalization.BatchNormalization;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.Arrays;
import java.util.List;

/**
 * A trained network with BN under verification, with its data.
 *
 * @param network   the trained network
 * @param data      its training and test data
 * @param batchSize the batch size it trained with
 */
public record Subject(MultiLayerNetwork network, TrainTest data, int batchSize) {

    public InputShape shape() {
        return InputShape.of(network.getLayerWiseConfigurations());
    }

    /** Test images {@code from} (inclusive) to {@code to} (exclusive), laid out for the network. */
    INDArray testImages(int from, int to) {
        return shape().arrange(data.test().getFeatures().get(NDArrayIndex.interval(from, to), NDArrayIndex.all()));
    }

    BatchIterator testBatches(int size) {
        return BatchIterator.inOrder(data.test(), size, shape());
    }

    BatchIterator trainBatches(int size) {
        return BatchIterator.inOrder(data.train(), size, shape());
    }

    List<Layer> batchNormalizationLayers() {
        return Arrays.stream(network.getLayers()).filter(l -> l instanceof BatchNormalization).toList();
    }

    /** The input of layer {@code index} for {@code images}: the output of the layer before it. */
    INDArray inputOf(int index, INDArray images, boolean training) {
        return network.feedForwardToLayer(index, images, training).get(index);
    }
}
