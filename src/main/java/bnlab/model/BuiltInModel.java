package bnlab.model;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;

import java.util.function.LongFunction;

/** The networks that can be named on the command line. */
public enum BuiltInModel {

    MLP(seed -> Mlp.tutorial(seed).configuration()),
    MLP_BN(seed -> Mlp.tutorial(seed).withBatchNorm(BnPlacement.BEFORE_ACTIVATION).configuration()),
    /** BN after each hidden activation instead of before: the variant the placement experiment tests. */
    MLP_BN_AFTER(seed -> Mlp.tutorial(seed).withBatchNorm(BnPlacement.AFTER_ACTIVATION).configuration()),
    CNN(seed -> Cnn.tutorial(seed).configuration()),
    CNN_BN(seed -> Cnn.tutorial(seed).withBatchNorm(BnPlacement.BEFORE_ACTIVATION).configuration());

    private final LongFunction<MultiLayerConfiguration> configuration;

    BuiltInModel(LongFunction<MultiLayerConfiguration> configuration) {
        this.configuration = configuration;
    }

    public MultiLayerConfiguration configuration(long seed) {
        return configuration.apply(seed);
    }

    /** The name used on the command line and in results: mlp, mlp_bn, cnn, cnn_bn. */
    @Override
    public String toString() {
        return name().toLowerCase();
    }
}
