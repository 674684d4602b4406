package bnlab.model;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.layers.normalization.BatchNormalization;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The parameters of a DL4J BatchNormalization layer as flat vectors, one value per feature or
 * channel. DL4J stores the running variance either directly ({@code var}) or, by default, as
 * {@code log10stdev} = log10(sqrt(variance)); these accessors hide the difference.
 */
public final class BnParameters {

    private BnParameters() {
    }

    public static INDArray gamma(Layer bn) {
        return flat(bn, BatchNormalizationParamInitializer.GAMMA);
    }

    public static INDArray beta(Layer bn) {
        return flat(bn, BatchNormalizationParamInitializer.BETA);
    }

    public static INDArray runningMean(Layer bn) {
        return flat(bn, BatchNormalizationParamInitializer.GLOBAL_MEAN);
    }

    public static INDArray runningVariance(Layer bn) {
        if (usesLogStd(bn)) {
            INDArray std = Transforms.pow(Nd4j.valueArrayOf(runningLog10Std(bn).shape(), 10.0,
                    runningLog10Std(bn).dataType()), runningLog10Std(bn), false);
            return std.muli(std);
        }
        return flat(bn, BatchNormalizationParamInitializer.GLOBAL_VAR);
    }

    public static double epsilon(Layer bn) {
        return configuration(bn).getEps();
    }

    /** Overwrites the running statistics, keeping DL4J's storage form. */
    public static void setRunningStatistics(Layer bn, INDArray mean, INDArray variance) {
        bn.getParam(BatchNormalizationParamInitializer.GLOBAL_MEAN).assign(mean.reshape(
                bn.getParam(BatchNormalizationParamInitializer.GLOBAL_MEAN).shape()));
        if (usesLogStd(bn)) {
            INDArray log10Std = Transforms.log(Transforms.sqrt(variance, true), 10, false);
            bn.getParam(BatchNormalizationParamInitializer.GLOBAL_LOG_STD)
                    .assign(log10Std.reshape(bn.getParam(BatchNormalizationParamInitializer.GLOBAL_LOG_STD).shape()));
        } else {
            bn.getParam(BatchNormalizationParamInitializer.GLOBAL_VAR)
                    .assign(variance.reshape(bn.getParam(BatchNormalizationParamInitializer.GLOBAL_VAR).shape()));
        }
    }

    private static INDArray runningLog10Std(Layer bn) {
        return flat(bn, BatchNormalizationParamInitializer.GLOBAL_LOG_STD);
    }

    private static boolean usesLogStd(Layer bn) {
        return configuration(bn).isUseLogStd();
    }

    private static org.deeplearning4j.nn.conf.layers.BatchNormalization configuration(Layer bn) {
        return ((BatchNormalization) bn).layerConf();
    }

    private static INDArray flat(Layer bn, String name) {
        INDArray parameter = bn.getParam(name);
        return parameter.reshape(parameter.length());
    }
}
