package bnlab.advise;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationELU;
import org.nd4j.linalg.activations.impl.ActivationGELU;
import org.nd4j.linalg.activations.impl.ActivationLReLU;
import org.nd4j.linalg.activations.impl.ActivationMish;
import org.nd4j.linalg.activations.impl.ActivationPReLU;
import org.nd4j.linalg.activations.impl.ActivationRReLU;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationReLU6;
import org.nd4j.linalg.activations.impl.ActivationSwish;
import org.nd4j.linalg.activations.impl.ActivationThresholdedReLU;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A deep stack of trainable hidden layers with ReLU-family activations and no normalization:
 * more than {@value #MOST_UNNORMALIZED} such layers in a row, with no normalization, frozen
 * layer or other activation between them. The tutorial's networks (three hidden layers) train
 * well without BN, and the issue puts the trouble at "more than 3-4", so four in a row pass and
 * five are flagged. SELU is left out: with its initialization it normalizes by design.
 */
final class DeepStackWithoutNormalization implements Rule {

    static final String ID = "deep-stack-without-normalization";
    static final int MOST_UNNORMALIZED = 4;

    private static final Set<Class<? extends IActivation>> RELU_FAMILY = Set.of(ActivationReLU.class,
            ActivationReLU6.class, ActivationLReLU.class, ActivationRReLU.class, ActivationPReLU.class,
            ActivationThresholdedReLU.class, ActivationELU.class, ActivationGELU.class, ActivationSwish.class,
            ActivationMish.class);

    @Override
    public List<Finding> check(MultiLayerConfiguration configuration) {
        List<Layer> layers = Layers.of(configuration);
        List<Finding> findings = new ArrayList<>();
        List<Integer> run = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            Layer layer = layers.get(i);
            boolean breaksRun = Layers.isNormalization(layer) || Layers.isFrozen(layer) || Layers.isOutputLayer(layer);
            if (Layers.hasWeights(layer) && !breaksRun && reluFamily(activationOf(layers, i))) {
                run.add(i);
            } else if (breaksRun || Layers.hasWeights(layer)) {
                report(layers, run, findings);
                run.clear();
            }
        }
        report(layers, run, findings);
        return findings;
    }

    private static void report(List<Layer> layers, List<Integer> run, List<Finding> findings) {
        if (run.size() <= MOST_UNNORMALIZED) {
            return;
        }
        int first = run.get(0);
        findings.add(Finding.at(first, layers.get(first), ID,
                run.size() + " hidden layers with ReLU-family activations in a row (layers " + first + " to "
                        + run.get(run.size() - 1) + ") and no normalization between them.",
                "Each unnormalized layer rescales its activations, and its gradients on the way back, by a factor "
                        + "its weights set; over many layers these factors compound, so activations and gradients "
                        + "grow or vanish and training becomes fragile to the initialization and learning rate. "
                        + "BN resets the scale at every layer. bnlab flags more than " + MOST_UNNORMALIZED
                        + " such layers in a row.",
                "Normalize each hidden layer: Dense or convolution with .activation(Activation.IDENTITY) -> "
                        + "BatchNormalization -> ActivationLayer. For small batches, DenseLayer.Builder()"
                        + ".hasLayerNorm(true) instead."));
    }

    /** The layer's own activation, or when it has none, that of the ActivationLayer that follows it. */
    private static IActivation activationOf(List<Layer> layers, int i) {
        IActivation own = Layers.activation(layers.get(i));
        if (Layers.isNonlinear(own)) {
            return own;
        }
        for (int j = i + 1; j < layers.size() && !Layers.hasParameters(layers.get(j)); j++) {
            if (Layers.unwrapped(layers.get(j)) instanceof ActivationLayer) {
                return Layers.activation(layers.get(j));
            }
        }
        return own;
    }

    private static boolean reluFamily(IActivation activation) {
        return activation != null && RELU_FAMILY.contains(activation.getClass());
    }
}
