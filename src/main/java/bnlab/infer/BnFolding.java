package bnlab.infer;

import bnlab.BadInputException;
import bnlab.model.BnParameters;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Folds each BatchNormalization that directly follows a Dense or Convolution layer into that
 * layer, for inference. In inference mode BN is an affine map per output unit (or channel):
 * y = gamma * (z - mean) / sigma + beta with sigma = sqrt(var + eps) and z = xW + b, so
 * W' = W * gamma / sigma (per output column of a Dense layer's [in, out] weights, per first
 * index of a convolution's [out, in, kh, kw] kernels) and b' = (b - mean) * gamma / sigma + beta
 * give the same outputs without the BN layer. An ActivationLayer right after a folded BN
 * becomes the folded layer's activation. The folded network is for inference only: it has
 * no BN to train.
 */
public final class BnFolding {

    /**
     * One BN folded away.
     *
     * @param batchNormalization the BN's index in the original network
     * @param into               index of the Dense or Convolution layer it was folded into
     * @param activation         index of the ActivationLayer merged into that layer, or null
     */
    public record Fold(int batchNormalization, int into, Integer activation) {
    }

    /** The folded network and the folds that made it. */
    public record Folded(MultiLayerNetwork network, List<Fold> folds) {
    }

    private BnFolding() {
    }

    /**
     * Folds every BN of {@code original}, which is left unchanged. A BN that cannot be folded
     * (first layer, after an activation, after anything but a Dense or Convolution layer) is a
     * {@link BadInputException} naming its index and the reason; so is a network without BN.
     */
    public static Folded fold(MultiLayerNetwork original) {
        MultiLayerConfiguration configuration = original.getLayerWiseConfigurations();
        List<Fold> folds = plan(configuration);
        Map<Integer, Fold> byTarget = new HashMap<>();
        List<Integer> removed = new ArrayList<>();
        for (Fold fold : folds) {
            byTarget.put(fold.into(), fold);
            removed.add(fold.batchNormalization());
            if (fold.activation() != null) {
                removed.add(fold.activation());
            }
        }
        List<Integer> kept = new ArrayList<>();
        for (int i = 0; i < configuration.getConfs().size(); i++) {
            if (!removed.contains(i)) {
                kept.add(i);
            }
        }
        MultiLayerNetwork folded = new MultiLayerNetwork(foldedConfiguration(configuration, kept, byTarget));
        folded.init();
        for (int i = 0; i < kept.size(); i++) {
            Layer source = original.getLayer(kept.get(i));
            Fold fold = byTarget.get(kept.get(i));
            if (fold == null) {
                source.paramTable().forEach(folded.getLayer(i)::setParam);
            } else {
                foldParameters(source, original.getLayer(fold.batchNormalization()), folded.getLayer(i));
            }
        }
        return new Folded(folded, folds);
    }

    /** The folds of {@code configuration}'s BN layers, or why one of them cannot be folded. */
    private static List<Fold> plan(MultiLayerConfiguration configuration) {
        List<Fold> folds = new ArrayList<>();
        int layers = configuration.getConfs().size();
        for (int i = 0; i < layers; i++) {
            if (layerAt(configuration, i) instanceof BatchNormalization bn) {
                requireFoldable(configuration, i, bn);
                boolean activationFollows = i + 1 < layers
                        && layerAt(configuration, i + 1).getClass() == ActivationLayer.class
                        && configuration.getInputPreProcess(i + 1) == null;
                folds.add(new Fold(i, i - 1, activationFollows ? i + 1 : null));
            }
        }
        if (folds.isEmpty()) {
            throw new BadInputException("the network has no BatchNormalization layer to fold");
        }
        return folds;
    }

    private static void requireFoldable(MultiLayerConfiguration configuration, int index, BatchNormalization bn) {
        String which = "layer " + index + " (BatchNormalization)";
        if (index == 0) {
            throw new BadInputException(which + " is the first layer: there is no layer before it to fold it into");
        }
        org.deeplearning4j.nn.conf.layers.Layer previous = layerAt(configuration, index - 1);
        Class<?> type = previous.getClass();
        if (type != DenseLayer.class && type != ConvolutionLayer.class) {
            throw new BadInputException(which + " follows layer " + (index - 1) + " (" + type.getSimpleName()
                    + "); only a BN right after a DenseLayer or ConvolutionLayer can be folded");
        }
        if (!(((BaseLayer) previous).getActivationFn() instanceof ActivationIdentity)) {
            throw new BadInputException(which + " follows layer " + (index - 1) + "'s "
                    + ((BaseLayer) previous).getActivationFn() + " activation; a BN can be folded only into a layer "
                    + "without activation (identity)");
        }
        if (previous instanceof DenseLayer dense && dense.hasLayerNorm()) {
            throw new BadInputException(which + " follows layer " + (index - 1) + " (DenseLayer) with layer "
                    + "normalization, whose outputs would change if its weights were scaled");
        }
        if (configuration.getInputPreProcess(index) != null) {
            throw new BadInputException(which + " has an input preprocessor ("
                    + configuration.getInputPreProcess(index).getClass().getSimpleName() + "), so it does not "
                    + "normalize layer " + (index - 1) + "'s outputs unit by unit");
        }
        if (previous instanceof ConvolutionLayer convolution && convolution.getCnn2dDataFormat() != bn.getCnn2DFormat()) {
            throw new BadInputException(which + " normalizes " + bn.getCnn2DFormat() + " data but layer "
                    + (index - 1) + " writes " + convolution.getCnn2dDataFormat() + ", so not per channel");
        }
    }

    /**
     * The original configuration without the folded BN and merged activation layers: the
     * layers they were folded into gain a bias and the merged activation, and the input
     * preprocessors move with their layers' new indices.
     */
    private static MultiLayerConfiguration foldedConfiguration(MultiLayerConfiguration original, List<Integer> kept,
                                                               Map<Integer, Fold> byTarget) {
        MultiLayerConfiguration folded = original.clone();
        List<NeuralNetConfiguration> layers = new ArrayList<>();
        Map<Integer, InputPreProcessor> preProcessors = new HashMap<>();
        for (int i = 0; i < kept.size(); i++) {
            int source = kept.get(i);
            NeuralNetConfiguration layer = folded.getConf(source);
            Fold fold = byTarget.get(source);
            if (fold != null) {
                withBias(layer.getLayer());
                if (fold.activation() != null) {
                    ((BaseLayer) layer.getLayer())
                            .setActivationFn(((ActivationLayer) layerAt(original, fold.activation())).getActivationFn());
                }
            }
            layers.add(layer);
            InputPreProcessor preProcessor = folded.getInputPreProcess(source);
            if (preProcessor != null) {
                preProcessors.put(i, preProcessor);
            }
        }
        folded.setConfs(layers);
        folded.setInputPreProcessors(preProcessors);
        return folded;
    }

    private static void withBias(org.deeplearning4j.nn.conf.layers.Layer layer) {
        if (layer instanceof DenseLayer dense) {
            dense.setHasBias(true);
        } else {
            ((ConvolutionLayer) layer).setHasBias(true);
        }
    }

    /**
     * Sets {@code target}'s weights and bias to {@code source}'s with {@code bn} folded in,
     * computed in double. No operation here works in place on an array that may be a view of
     * a parameter of the original network.
     */
    private static void foldParameters(Layer source, Layer bn, Layer target) {
        INDArray sigma = Transforms.sqrt(BnParameters.runningVariance(bn).castTo(DataType.DOUBLE)
                .add(BnParameters.epsilon(bn)), false);
        INDArray scale = effectiveGamma(bn).div(sigma);
        long units = scale.length();
        INDArray weights = source.getParam(DefaultParamInitializer.WEIGHT_KEY).castTo(DataType.DOUBLE).dup('c');
        if (weights.rank() == 2) {
            weights.muliRowVector(scale.reshape(1, units));
        } else {
            // [out, in, kh, kw] in c order: each row of this view holds one output channel's kernels.
            weights.reshape('c', units, weights.length() / units).muliColumnVector(scale.reshape(units, 1));
        }
        INDArray sourceBias = source.getParam(DefaultParamInitializer.BIAS_KEY);
        INDArray bias = sourceBias == null
                ? Nd4j.zeros(DataType.DOUBLE, units)
                : sourceBias.castTo(DataType.DOUBLE).reshape(units);
        bias = bias.sub(BnParameters.runningMean(bn).castTo(DataType.DOUBLE)).muli(scale).addi(effectiveBeta(bn));
        INDArray targetBias = target.getParam(DefaultParamInitializer.BIAS_KEY);
        target.setParam(DefaultParamInitializer.WEIGHT_KEY, weights);
        target.setParam(DefaultParamInitializer.BIAS_KEY, bias.reshape(targetBias.shape()));
    }

    /**
     * Gamma as DL4J 1.0.0-M2.1 applies it. With locked gamma and beta its BN layer applies them
     * only when gamma != 1 and beta != 0 both hold (a "&&" meant as "||"), in training and in
     * inference alike, so a model trained that way was trained with gamma 1 and beta 0.
     */
    private static INDArray effectiveGamma(Layer bn) {
        BatchNormalization conf = (BatchNormalization) bn.conf().getLayer();
        if (!conf.isLockGammaBeta()) {
            return BnParameters.gamma(bn).castTo(DataType.DOUBLE);
        }
        double gamma = appliesLockedValues(conf) ? conf.getGamma() : 1;
        return Nd4j.valueArrayOf(new long[]{conf.getNOut()}, gamma, DataType.DOUBLE);
    }

    /** Beta as DL4J applies it; see {@link #effectiveGamma}. */
    private static INDArray effectiveBeta(Layer bn) {
        BatchNormalization conf = (BatchNormalization) bn.conf().getLayer();
        if (!conf.isLockGammaBeta()) {
            return BnParameters.beta(bn).castTo(DataType.DOUBLE);
        }
        double beta = appliesLockedValues(conf) ? conf.getBeta() : 0;
        return Nd4j.valueArrayOf(new long[]{conf.getNOut()}, beta, DataType.DOUBLE);
    }

    private static boolean appliesLockedValues(BatchNormalization conf) {
        return conf.getGamma() != 1.0 && conf.getBeta() != 0.0;
    }

    private static org.deeplearning4j.nn.conf.layers.Layer layerAt(MultiLayerConfiguration configuration, int index) {
        return configuration.getConf(index).getLayer();
    }
}
