package bnlab.data;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * How a batch of flat 784-pixel images is laid out for a model: flat for dense networks,
 * [batch, 1, 28, 28] for convolutional ones.
 */
public enum InputShape {

    FLAT {
        @Override
        public INDArray arrange(INDArray flatImages) {
            return flatImages;
        }
    },
    IMAGE {
        @Override
        public INDArray arrange(INDArray flatImages) {
            return flatImages.reshape(flatImages.size(0), 1, KnownDataset.SIDE, KnownDataset.SIDE);
        }
    };

    /** Lays out a [batch, 784] array of images in this shape (a view where possible). */
    public abstract INDArray arrange(INDArray flatImages);

    /** The shape the first layer of {@code configuration} takes. */
    public static InputShape of(MultiLayerConfiguration configuration) {
        Layer first = configuration.getConf(0).getLayer();
        return first instanceof ConvolutionLayer ? IMAGE : FLAT;
    }
}
