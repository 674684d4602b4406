package bnlab.train;

import org.deeplearning4j.nn.api.Layer.TrainingMode;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.deeplearning4j.optimize.solvers.BaseOptimizer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Records how the outputs of chosen layers of a {@link MultiLayerNetwork} are distributed as it
 * trains: percentiles of each layer's output (or of one unit's) over a fixed probe batch, after
 * every {@code frequency} updates, and once before the first.
 * <p>
 * To watch the input of an activation function, give the activation a layer of its own (an
 * {@code ActivationLayer}) and record the layer before it: a DenseLayer's output is already
 * past its activation.
 * <p>
 * In {@link TrainingMode#TRAIN} the probe passes through the network as a training batch
 * would: BatchNormalization normalizes it with the probe's own mean and variance, which is what
 * the next layer receives while training. {@link TrainingMode#TEST} shows what it receives at
 * inference, with BN's running averages. The probe pass leaves the network as it was (BN's
 * running averages change in the update, not in the forward pass), except that in
 * {@code TRAIN} mode a network with dropout draws the probe's masks from ND4J's random stream.
 */
public final class ActivationDistributionListener extends BaseTrainingListener implements Serializable {

    /**
     * Where to look: the output of layer {@code layer} (0 for the first layer), all of it or only
     * its unit {@code unit} (index along dimension 1).
     */
    public record Site(int layer, Integer unit) implements Serializable {

        public static Site wholeLayer(int layer) {
            return new Site(layer, null);
        }

        public static Site unit(int layer, int unit) {
            return new Site(layer, unit);
        }
    }

    private final INDArray probe;
    private final List<Site> sites;
    private final double[] percentiles;
    private final int frequency;
    private final TrainingMode mode;
    private final int deepestLayer;
    private final List<Integer> iterations = new ArrayList<>();
    private final Map<Site, List<double[]>> recorded = new LinkedHashMap<>();

    /**
     * @param probe       the examples passed through the network at each record
     * @param percentiles which percentiles to record, each in [0, 100]
     * @param frequency   record after every {@code frequency}-th update
     * @param mode        pass the probe through as training (TRAIN) or inference (TEST) does
     */
    public ActivationDistributionListener(INDArray probe, List<Site> sites, double[] percentiles, int frequency,
                                          TrainingMode mode) {
        if (frequency <= 0 || sites.isEmpty()) {
            throw new IllegalArgumentException("need a positive frequency and at least one site");
        }
        if (Arrays.stream(percentiles).anyMatch(p -> p < 0 || p > 100)) {
            throw new IllegalArgumentException("percentiles must lie in [0, 100]: " + Arrays.toString(percentiles));
        }
        this.probe = probe;
        this.sites = List.copyOf(sites);
        this.percentiles = percentiles.clone();
        this.frequency = frequency;
        this.mode = mode;
        this.deepestLayer = sites.stream().mapToInt(Site::layer).max().orElseThrow();
        sites.forEach(site -> recorded.put(site, new ArrayList<>()));
    }

    @Override
    public void onEpochStart(Model model) {
        if (BaseOptimizer.getIterationCount(model) == 0 && iterations.isEmpty()) {
            record(model, 0);
        }
    }

    /** DL4J counts the update just done only after this call. */
    @Override
    public void iterationDone(Model model, int iteration, int epoch) {
        int updates = iteration + 1;
        if (updates % frequency == 0) {
            record(model, updates);
        }
    }

    private void record(Model model, int updates) {
        if (!(model instanceof MultiLayerNetwork network)) {
            throw new IllegalArgumentException("records MultiLayerNetworks only, not " + model.getClass().getSimpleName());
        }
        // Index 0 is the input; layer i's output follows at i + 1.
        List<INDArray> outputs = network.feedForwardToLayer(deepestLayer, probe, mode == TrainingMode.TRAIN);
        for (Site site : sites) {
            INDArray output = outputs.get(site.layer() + 1);
            INDArray values = site.unit() == null ? output : output.get(NDArrayIndex.all(), NDArrayIndex.point(site.unit()));
            recorded.get(site).add(percentiles(values.dup().data().asDouble(), percentiles));
        }
        iterations.add(updates);
    }

    /**
     * The {@code p}-th percentiles of {@code values}, interpolated linearly between the two
     * nearest ranks (position p / 100 * (n - 1) in sorted order, as numpy does by default).
     */
    public static double[] percentiles(double[] values, double... p) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        double[] result = new double[p.length];
        for (int i = 0; i < p.length; i++) {
            double position = p[i] / 100 * (sorted.length - 1);
            int below = (int) Math.floor(position);
            int above = Math.min(below + 1, sorted.length - 1);
            result[i] = sorted[below] + (position - below) * (sorted[above] - sorted[below]);
        }
        return result;
    }

    public List<Site> sites() {
        return sites;
    }

    /** The number of updates done at each record: 0, then multiples of the frequency. */
    public int[] iterations() {
        return iterations.stream().mapToInt(Integer::intValue).toArray();
    }

    /** The {@code percentile}-th percentile at {@code site}, one value per record. */
    public double[] percentile(Site site, double percentile) {
        int index = -1;
        for (int i = 0; i < percentiles.length; i++) {
            if (percentiles[i] == percentile) {
                index = i;
            }
        }
        if (index < 0 || !recorded.containsKey(site)) {
            throw new IllegalArgumentException("not recorded: percentile " + percentile + " at " + site);
        }
        int column = index;
        return recorded.get(site).stream().mapToDouble(values -> values[column]).toArray();
    }
}
