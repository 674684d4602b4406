package bnlab.model;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;

import java.util.function.LongFunction;

/** The networks that can be named on the command line. */
public enum BuiltInModel {

    MLP(seed -> Mlp.tutorial(seed).configuration()),
    MLP_BN(seed -> Mlp.tutorial(seed).withNormalization(Normalization.BATCH).configuration()),
    /** BN after each hidden activation instead of before: the variant the placement experiment tests. */
    MLP_BN_AFTER(seed -> Mlp.tutorial(seed).withNormalization(Normalization.BATCH_AFTER_ACTIVATION).configuration()),
    CNN(seed -> Cnn.tutorial(seed).configuration()),
    CNN_BN(seed -> Cnn.tutorial(seed).withNormalization(Normalization.BATCH).configuration()),
    /** Layer normalization instead of BN: DL4J's own on the Dense layers. */
    MLP_LN(seed -> Mlp.tutorial(seed).withNormalization(Normalization.LAYER).configuration()),
    /** Layer normalization instead of BN: one-group GroupNormalization on the convolutions, DL4J's own on the Dense layer. */
    CNN_LN(seed -> Cnn.tutorial(seed).withNormalization(Normalization.LAYER).configuration()),
    /** GroupNormalization instead of BN, 8 groups. */
    CNN_GN(seed -> Cnn.tutorial(seed).withNormalization(Normalization.GROUP).configuration()),
    /** Sequential MNIST: two SimpleRnn layers of 128 units. */
    RNN(seed -> Rnn.simple(seed).configuration()),
    /** The same with layer normalization between the recurrent layers, over the features of every time step. */
    RNN_LN(seed -> Rnn.simple(seed).withNormalization(Normalization.LAYER).configuration()),
    /** The same with BN between the recurrent layers, over the features of every time step. */
    RNN_BN(seed -> Rnn.simple(seed).withNormalization(Normalization.BATCH).configuration());

    private final LongFunction<MultiLayerConfiguration> configuration;

    BuiltInModel(LongFunction<MultiLayerConfiguration> configuration) {
        this.configuration = configuration;
    }

    public MultiLayerConfiguration configuration(long seed) {
        return configuration.apply(seed);
    }

    /** The name used on the command line and in results: mlp, mlp_bn, cnn_gn... */
    @Override
    public String toString() {
        return name().toLowerCase();
    }
}
