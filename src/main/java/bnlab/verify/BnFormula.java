package bnlab.verify;

import bnlab.model.BnParameters;
import org.deeplearning4j.nn.api.Layer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Check 3: in inference mode a BN layer computes gamma * (x - mean) / sqrt(var + eps) + beta
 * with its stored running statistics, per feature for dense input and per channel for
 * convolutional input. The formula is evaluated here from the layer's parameters and its
 * input, independently of DL4J's implementation (and of its oneDNN helper).
 */
final class BnFormula {

    static final double RELATIVE_BOUND = 1e-5;

    private BnFormula() {
    }

    /** One check for the first dense BN and one for the first convolutional BN, if the network has them. */
    static List<Check> inferenceFollowsTheFormula(Subject subject) {
        INDArray images = subject.testImages(0, 200);
        List<Check> checks = new ArrayList<>();
        boolean denseDone = false;
        boolean convolutionalDone = false;
        for (Layer bn : subject.batchNormalizationLayers()) {
            INDArray input = subject.inputOf(bn.getIndex(), images, false);
            boolean convolutional = input.rank() == 4;
            if (convolutional ? convolutionalDone : denseDone) {
                continue;
            }
            INDArray actual = subject.network().feedForwardToLayer(bn.getIndex(), images, false).get(bn.getIndex() + 1);
            INDArray expected = formula(bn, input);
            double scale = 1 + expected.amaxNumber().doubleValue();
            double difference = expected.sub(actual).amaxNumber().doubleValue() / scale;
            checks.add(Check.atMost(convolutional ? "conv BN formula" : "dense BN formula",
                    "BN layer " + bn.getIndex() + " (" + (convolutional ? "per channel" : "per feature")
                            + ") outputs gamma * (x - mean) / sqrt(var + eps) + beta in inference mode",
                    difference, RELATIVE_BOUND,
                    "max |DL4J - formula| / (1 + max |formula|) over 200 test images, input shape "
                            + Arrays.toString(input.shape()),
                    "the layer's inference computes something other than its parameters say: a layer helper (bnlab "
                            + "installs oneDNN's through CpuTuning.apply) or a changed DL4J; compare the network's "
                            + "output after CpuTuning.applyWithoutHelpers(network), and report the difference as a bug"));
            denseDone |= !convolutional;
            convolutionalDone |= convolutional;
        }
        return checks;
    }

    /** The formula with each per-feature or per-channel parameter broadcast over dimension 1. */
    static INDArray formula(Layer bn, INDArray x) {
        long[] broadcastShape = x.rank() == 4 ? new long[]{1, x.size(1), 1, 1} : new long[]{1, x.size(1)};
        INDArray mean = BnParameters.runningMean(bn).reshape(broadcastShape);
        INDArray std = Transforms.sqrt(BnParameters.runningVariance(bn).add(BnParameters.epsilon(bn)), false)
                .reshape(broadcastShape);
        INDArray gamma = BnParameters.gamma(bn).reshape(broadcastShape);
        INDArray beta = BnParameters.beta(bn).reshape(broadcastShape);
        return x.sub(mean).div(std).mul(gamma).add(beta);
    }
}
