package bnlab.train;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.deeplearning4j.optimize.solvers.BaseOptimizer;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Records the L2 norm of the gradient of each parameter of a {@link MultiLayerNetwork} ("0_W",
 * "0_b", "1_gamma", ... as DL4J names them), every {@code frequency} iterations: the gradient of
 * the batch's mean loss as backpropagation computed it, before the updater changes it
 * (gradient normalization, regularization, learning rate, momentum).
 * <p>
 * DL4J 1.0.0-M2.1 calls {@link #onGradientCalculation} between backpropagation and the update
 * ({@code onBackwardPass} too, despite its documentation's "post-update": it runs inside
 * {@code computeGradientAndScore}, before the updater). The gradient there is still summed
 * over the batch's examples (the updater divides it by the
 * batch size next, when the configuration's {@code miniBatch} is on, as by default), so this
 * listener divides by the batch size likewise. A BatchNormalization layer's running mean and
 * variance travel through the gradient too, as updates rather than gradients; DL4J marks them
 * ({@code updaterDivideByMinibatch} is false) and they are left out.
 * <p>
 * Each record costs one norm per parameter array, about as much as a small layer's forward
 * pass; {@code frequency} keeps that a small part of training.
 */
public final class GradientNormListener extends BaseTrainingListener implements Serializable {

    /**
     * Every 10th iteration: enough points to plot the norms over an epoch, at a cost that
     * {@code bench --variants tuned,gradients} measures (docs/PERFORMANCE.md).
     */
    public static final int SUGGESTED_FREQUENCY = 10;

    private final int frequency;
    private final List<Integer> iterations = new ArrayList<>();
    private final Map<String, List<Double>> norms = new LinkedHashMap<>();

    /** @param frequency record every {@code frequency}-th iteration, starting with the first */
    public GradientNormListener(int frequency) {
        if (frequency <= 0) {
            throw new IllegalArgumentException("frequency must be positive: " + frequency);
        }
        this.frequency = frequency;
    }

    @Override
    public void onGradientCalculation(Model model) {
        int iteration = BaseOptimizer.getIterationCount(model);
        if (iteration % frequency != 0) {
            return;
        }
        if (!(model instanceof MultiLayerNetwork network)) {
            throw new IllegalArgumentException("records MultiLayerNetworks only, not " + model.getClass().getSimpleName());
        }
        double batchSize = network.conf().isMiniBatch() ? network.batchSize() : 1;
        iterations.add(iteration);
        Gradient gradient = network.gradient();
        for (String parameter : network.paramTable().keySet()) {
            if (isGradient(network, parameter)) {
                double norm = gradient.getGradientFor(parameter).norm2Number().doubleValue() / batchSize;
                norms.computeIfAbsent(parameter, p -> new ArrayList<>()).add(norm);
            }
        }
    }

    /** {@code parameter} is "layer_name", as in "3_W". */
    private static boolean isGradient(MultiLayerNetwork network, String parameter) {
        int separator = parameter.indexOf('_');
        Layer layer = network.getLayer(Integer.parseInt(parameter.substring(0, separator)));
        return layer.updaterDivideByMinibatch(parameter.substring(separator + 1));
    }

    /** The network's iteration count at each record: the number of updates before that gradient's. */
    public int[] iterations() {
        return iterations.stream().mapToInt(Integer::intValue).toArray();
    }

    /** The parameters recorded, in the network's order. */
    public List<String> parameters() {
        return List.copyOf(norms.keySet());
    }

    /** The gradient norms of {@code parameter}, one per record. */
    public double[] norms(String parameter) {
        List<Double> recorded = norms.get(parameter);
        if (recorded == null) {
            throw new IllegalArgumentException("no gradient recorded for " + parameter + "; recorded: " + parameters());
        }
        return recorded.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
