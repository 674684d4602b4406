package bnlab.model.layers;

import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parameters of a {@link GroupNormalization} layer: a scale ({@value #GAMMA}) and a shift
 * ({@value #BETA}) per channel, initialized to 1 and 0 so that a new layer only normalizes.
 * Unlike BatchNormalization it keeps no running statistics: a group's statistics come from the
 * example itself, in training and in inference alike.
 */
public final class GroupNormalizationParamInitializer implements ParamInitializer {

    public static final String GAMMA = "gamma";
    public static final String BETA = "beta";

    private static final GroupNormalizationParamInitializer INSTANCE = new GroupNormalizationParamInitializer();

    private GroupNormalizationParamInitializer() {
    }

    public static GroupNormalizationParamInitializer getInstance() {
        return INSTANCE;
    }

    @Override
    public long numParams(NeuralNetConfiguration conf) {
        return numParams(conf.getLayer());
    }

    @Override
    public long numParams(Layer layer) {
        return 2 * channels(layer);
    }

    @Override
    public List<String> paramKeys(Layer layer) {
        return List.of(GAMMA, BETA);
    }

    @Override
    public List<String> weightKeys(Layer layer) {
        return List.of();
    }

    @Override
    public List<String> biasKeys(Layer layer) {
        return List.of();
    }

    @Override
    public boolean isWeightParam(Layer layer, String key) {
        return false;
    }

    @Override
    public boolean isBiasParam(Layer layer, String key) {
        return false;
    }

    @Override
    public Map<String, INDArray> init(NeuralNetConfiguration conf, INDArray paramsView, boolean initializeParams) {
        Map<String, INDArray> params = views(conf.getLayer(), paramsView);
        if (initializeParams) {
            params.get(GAMMA).assign(1);
            params.get(BETA).assign(0);
        }
        params.keySet().forEach(conf::addVariable);
        return params;
    }

    @Override
    public Map<String, INDArray> getGradientsFromFlattened(NeuralNetConfiguration conf, INDArray gradientView) {
        return views(conf.getLayer(), gradientView);
    }

    private static Map<String, INDArray> views(Layer layer, INDArray flat) {
        long channels = channels(layer);
        INDArray vector = flat.reshape(flat.length());
        Map<String, INDArray> views = new LinkedHashMap<>();
        views.put(GAMMA, vector.get(NDArrayIndex.interval(0, channels)));
        views.put(BETA, vector.get(NDArrayIndex.interval(channels, 2 * channels)));
        return views;
    }

    private static long channels(Layer layer) {
        return ((GroupNormalization) layer).getNOut();
    }
}
