package bnlab.data;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.layers.BaseRecurrentLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;
import org.deeplearning4j.nn.conf.layers.wrapper.BaseWrapperLayer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * How a batch of flat 784-pixel images is laid out for a model: flat for dense networks,
 * [batch, 1, 28, 28] for convolutional ones, and for recurrent ones a sequence of the image's
 * rows (sequential MNIST): [batch, 28 pixels, 28 time steps], DL4J's NCW layout.
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
    },
    SEQUENCE {
        /** In 'f' order, the one DL4J's recurrent layers work in (they copy anything else). */
        @Override
        public INDArray arrange(INDArray flatImages) {
            return flatImages.reshape(flatImages.size(0), KnownDataset.SIDE, KnownDataset.SIDE).permute(0, 2, 1).dup('f');
        }
    };

    /** Lays out a [batch, 784] array of images in this shape (a view where possible). */
    public abstract INDArray arrange(INDArray flatImages);

    /** The shape the first layer of {@code configuration} takes. */
    public static InputShape of(MultiLayerConfiguration configuration) {
        Layer first = unwrapped(configuration.getConf(0).getLayer());
        if (first instanceof ConvolutionLayer) {
            return IMAGE;
        }
        boolean recurrent = first instanceof BaseRecurrentLayer || first instanceof LastTimeStep
                || first instanceof Bidirectional;
        return recurrent ? SEQUENCE : FLAT;
    }

    /** The layer inside DL4J's frozen and other wrappers, which take the input it takes. */
    private static Layer unwrapped(Layer layer) {
        if (layer instanceof FrozenLayer frozen) {
            return unwrapped(frozen.getLayer());
        }
        return layer instanceof BaseWrapperLayer wrapper ? unwrapped(wrapper.getUnderlying()) : layer;
    }
}
