package bnlab.model;

import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;

/**
 * Keras's BatchNormalization defaults in DL4J's terms, which bnlab's models use so that their
 * figures compare with the tutorial's: Keras's {@code momentum=0.99} is DL4J's {@code decay}
 * (DL4J's own default is 0.9), and Keras's {@code epsilon=1e-3} (DL4J's is 1e-5).
 */
public final class KerasBatchNorm {

    public static final double DECAY = 0.99;
    public static final double EPSILON = 1e-3;

    private KerasBatchNorm() {
    }

    /**
     * A BN layer with Keras's defaults. Gradient normalization is off for it explicitly: DL4J
     * sends BN's running-mean and variance updates through the gradient, so a network-wide
     * gradient normalization would rescale them too.
     */
    public static BatchNormalization layer() {
        return new BatchNormalization.Builder()
                .decay(DECAY)
                .eps(EPSILON)
                .gradientNormalization(GradientNormalization.None)
                .build();
    }
}
