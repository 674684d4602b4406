package bnlab.train;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.BackpropType;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.deeplearning4j.optimize.solvers.BaseOptimizer;
import org.deeplearning4j.optimize.stepfunctions.NegativeDefaultStepFunction;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

import java.util.ArrayList;
import java.util.List;

/**
 * Trains a {@link MultiLayerNetwork} with gradient accumulation, which DL4J lacks: the gradients
 * of {@code microBatches} consecutive batches are summed, and one updater step applies them as
 * if the network had trained on the concatenated batch. DL4J's gradients are sums over a
 * batch's examples, which the updater divides by the batch size; dividing the sum over the
 * micro-batches by their total size gives the concatenated batch's gradient exactly, and the
 * updater (Adam's moments, its step count, gradient clipping, L2) sees one step, as it would.
 * So for a network whose forward pass treats each example on its own, k micro-batches of b
 * examples take the same step as one batch of k*b.
 *
 * <p>BatchNormalization does not treat examples on their own, and accumulation does not
 * change what it computes: each micro-batch's forward pass still normalizes with that
 * micro-batch's mean and variance, as noisy as those of b examples are, and the gradients
 * summed are gradients through those noisy normalizations. Only the step is as large as a
 * batch of k*b. BN's running mean and variance are state, not gradients (DL4J passes their
 * updates through the gradient, marked as not to be divided by the batch size): they are
 * applied after every micro-batch, as plain training would, so they average the statistics
 * BN actually normalized with.
 *
 * <p>Listeners see what they see in {@code fit}: a forward and backward pass per micro-batch,
 * and one {@code iterationDone} per updater step, with the network's score set to the mean
 * loss over the step's examples. The network's iteration count counts updater steps.
 */
public final class GradientAccumulation {

    private final MultiLayerNetwork network;
    private final int microBatches;
    private final List<String> stateParameters;
    private final INDArray sum;

    /**
     * @param network      the network to train, initialized
     * @param microBatches batches whose gradients make one step; at least 2
     */
    public GradientAccumulation(MultiLayerNetwork network, int microBatches) {
        if (microBatches < 2) {
            throw new IllegalArgumentException("accumulation needs 2 or more micro-batches per step, got " + microBatches);
        }
        if (network.getLayerWiseConfigurations().getBackpropType() == BackpropType.TruncatedBPTT) {
            throw new IllegalArgumentException("gradient accumulation over truncated backpropagation through time is "
                    + "not supported: each segment is already a step of its own");
        }
        this.network = network;
        this.microBatches = microBatches;
        if (network.getGradientsViewArray() == null) {
            network.initGradientsView();
        }
        this.stateParameters = stateParameters(network);
        this.sum = network.getGradientsViewArray().ulike();
    }

    /** Like {@code MultiLayerNetwork.fit(batches, epochs)}: the iterator is reset before each epoch it has used up. */
    public void fit(DataSetIterator batches, int epochs) {
        for (int epoch = 0; epoch < epochs; epoch++) {
            if (!batches.hasNext()) {
                batches.reset();
            }
            network.getListeners().forEach(listener -> listener.onEpochStart(network));
            while (batches.hasNext()) {
                step(batches);
            }
            network.getListeners().forEach(listener -> listener.onEpochEnd(network));
            network.incrementEpochCount();
        }
    }

    /** One updater step on the next {@code microBatches} batches, or on those left in the epoch. */
    private void step(DataSetIterator batches) {
        sum.assign(0);
        long examples = 0;
        double lossSum = 0;
        for (int i = 0; i < microBatches && batches.hasNext(); i++) {
            DataSet batch = batches.next();
            network.setInput(batch.getFeatures());
            network.setLabels(batch.getLabels());
            network.setLayerMaskArrays(batch.getFeaturesMaskArray(), batch.getLabelsMaskArray());
            network.computeGradientAndScore();
            applyStateUpdates(network.gradient());
            sum.addi(network.getGradientsViewArray());
            lossSum += network.score() * batch.numExamples();
            examples += batch.numExamples();
        }
        int iteration = BaseOptimizer.getIterationCount(network);
        int epoch = BaseOptimizer.getEpochCount(network);
        network.getGradientsViewArray().assign(sum);
        network.getUpdater().update(network, network.gradient(), iteration, epoch, Math.toIntExact(examples),
                LayerWorkspaceMgr.noWorkspaces());
        new NegativeDefaultStepFunction().step(network.params(), network.getGradientsViewArray());
        network.setScore(lossSum / examples);
        for (TrainingListener listener : network.getListeners()) {
            listener.iterationDone(network, iteration, epoch);
        }
        BaseOptimizer.incrementIterationCount(network, 1);
        network.applyConstraints(iteration, epoch);
    }

    /** Applies the micro-batch's updates of state parameters now, and takes them out of the gradient. */
    private void applyStateUpdates(Gradient gradient) {
        for (String key : stateParameters) {
            INDArray update = gradient.getGradientFor(key);
            network.getParam(key).subi(update);
            update.assign(0);
        }
    }

    /** Parameters whose "gradient" DL4J does not divide by the batch size because it is an update: BN's running statistics. */
    private static List<String> stateParameters(MultiLayerNetwork network) {
        List<String> keys = new ArrayList<>();
        for (Layer layer : network.getLayers()) {
            for (String parameter : layer.paramTable(false).keySet()) {
                if (!layer.updaterDivideByMinibatch(parameter)) {
                    keys.add(layer.getIndex() + "_" + parameter);
                }
            }
        }
        return keys;
    }
}
