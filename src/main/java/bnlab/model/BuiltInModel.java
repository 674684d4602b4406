package bnlab.model;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;

import java.util.List;

/**
 * The networks that can be named on the command line: one of the tutorial's three
 * architectures, normalized one way.
 */
public enum BuiltInModel {

    MLP(Architecture.MLP, Normalization.NONE),
    MLP_BN(Architecture.MLP, Normalization.BATCH),
    /** BN after each hidden activation instead of before: the variant the placement experiment tests. */
    MLP_BN_AFTER(Architecture.MLP, Normalization.BATCH_AFTER_ACTIVATION),
    CNN(Architecture.CNN, Normalization.NONE),
    CNN_BN(Architecture.CNN, Normalization.BATCH),
    /** Layer normalization instead of BN: DL4J's own on the Dense layers. */
    MLP_LN(Architecture.MLP, Normalization.LAYER),
    /** Layer normalization instead of BN: one-group GroupNormalization on the convolutions, DL4J's own on the Dense layer. */
    CNN_LN(Architecture.CNN, Normalization.LAYER),
    /** GroupNormalization instead of BN, 8 groups. */
    CNN_GN(Architecture.CNN, Normalization.GROUP),
    /** Sequential MNIST: two SimpleRnn layers of 128 units. */
    RNN(Architecture.RNN, Normalization.NONE),
    /** The same with layer normalization between the recurrent layers, over the features of every time step. */
    RNN_LN(Architecture.RNN, Normalization.LAYER),
    /** The same with BN between the recurrent layers, over the features of every time step. */
    RNN_BN(Architecture.RNN, Normalization.BATCH);

    /** The tutorial's two MLPs, without and with BN: the models of its comparison. */
    public static final List<BuiltInModel> TUTORIAL_MLPS = List.of(MLP, MLP_BN);

    /** The tutorial's networks: {@link Mlp#tutorial}, {@link Cnn#tutorial}, {@link Rnn#simple}. */
    public enum Architecture {
        MLP, CNN, RNN;

        MultiLayerConfiguration configuration(Normalization normalization, long seed) {
            return switch (this) {
                case MLP -> Mlp.tutorial(seed).withNormalization(normalization).configuration();
                case CNN -> Cnn.tutorial(seed).withNormalization(normalization).configuration();
                case RNN -> Rnn.simple(seed).withNormalization(normalization).configuration();
            };
        }
    }

    private final Architecture architecture;
    private final Normalization normalization;

    BuiltInModel(Architecture architecture, Normalization normalization) {
        this.architecture = architecture;
        this.normalization = normalization;
    }

    public Architecture architecture() {
        return architecture;
    }

    /** How the model's hidden layers are normalized: with {@link #architecture}, its builder's settings. */
    public Normalization normalization() {
        return normalization;
    }

    public MultiLayerConfiguration configuration(long seed) {
        return architecture.configuration(normalization, seed);
    }

    /** The name used on the command line and in results: mlp, mlp_bn, cnn_gn... */
    @Override
    public String toString() {
        return name().toLowerCase();
    }
}
