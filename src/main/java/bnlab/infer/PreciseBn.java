package bnlab.infer;

import bnlab.BadInputException;
import bnlab.model.BnParameters;
import bnlab.cpu.NativeMemory;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.layers.normalization.BatchNormalization;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.ArrayList;
import java.util.List;

/**
 * Precise BN: replaces each BN layer's running mean and variance, which training leaves
 * behind as moving averages, by the exact mean and variance of the layer's input over N
 * batches of training data, as {@code torch.optim.swa_utils.update_bn} and fvcore's precise
 * BN do after training.
 *
 * <p><b>What DL4J keeps.</b> DL4J 1.0.0-M2.1 updates the running statistics only in
 * {@code fit}, once per batch, from that batch's mean and <i>biased</i> variance (divided by
 * m, the examples times positions per channel; its own code and its oneDNN helper alike):
 * running = decay * running + (1 - decay) * batch, so decay is Keras's momentum and PyTorch's
 * momentum is 1 - decay. The update travels as the gradient of the {@code mean} and
 * {@code var} or {@code log10stdev} parameters, whose updater is a NoOp; the default
 * {@code useLogStd} stores log10(sqrt(variance)) and updates it so that the variance follows
 * the same average. With bnlab's decay 0.99 that is an average over roughly the last
 * 100 batches, each taken with the weights of its time, that starts from mean 0 and variance
 * 1; and since the expected biased variance of a batch is (m - 1) / m of the population's, it
 * is about 3% low for a dense layer trained on batches of 32 (negligible for convolutions,
 * where m counts every position). PyTorch's running variance uses the unbiased batch
 * variance instead.
 *
 * <p><b>What this computes.</b> The population mean and variance (squared deviations over
 * the count) of each BN layer's input over all the examples of the N batches together, and
 * over every position for convolutional input: the statistics Ioffe and Szegedy's inference
 * step uses (their unbiased average of batch variances estimates the same), and not an
 * average of batch variances, which would carry the (m - 1) / m bias. The result does not
 * depend on the batch size, because of the next point.
 *
 * <p><b>Layer by layer, in inference mode.</b> The layers are done in order, and the input
 * of layer k is computed in inference mode with the statistics already recomputed for the
 * layers before it. fvcore and PyTorch instead run the whole network in training mode once
 * and let each BN see its input as normalized upstream with batch statistics (and with
 * dropout active), which is not the input it will see in inference. Layer by layer, every
 * BN in inference mode normalizes exactly the inputs it receives in inference mode (over the
 * chosen examples) to mean 0 and variance 1 (up to eps), as training-mode BN does per
 * batch; the price is one partial forward pass per BN layer instead of one for all.
 */
public final class PreciseBn {

    /**
     * How one BN layer's statistics changed. sigma = sqrt(variance + eps), what BN divides by.
     *
     * @param layer            index of the BN layer
     * @param features         units or channels it normalizes
     * @param maxMeanShift     largest |running mean - new mean| / new sigma over the features
     * @param minSigmaRatio    smallest running sigma / new sigma over the features
     * @param maxSigmaRatio    largest running sigma / new sigma over the features
     * @param meanMeanShift    |running mean - new mean| / new sigma, averaged over the features
     * @param meanSigmaRatio   running sigma / new sigma, averaged over the features
     */
    public record LayerChange(int layer, long features, double maxMeanShift, double minSigmaRatio,
                              double maxSigmaRatio, double meanMeanShift, double meanSigmaRatio) {
    }

    /** What was recomputed: from how many batches and examples, and how each layer's statistics moved. */
    public record Result(int batches, long examples, List<LayerChange> layers) {
    }

    private PreciseBn() {
    }

    /**
     * Replaces the running statistics of every BN layer of {@code network} by those of its
     * input over the next {@code batches} batches of {@code training} (fewer if it runs out).
     */
    public static Result recompute(MultiLayerNetwork network, DataSetIterator training, int batches) {
        List<BatchNormalization> layers = layersOf(network);
        List<INDArray> features = new ArrayList<>();
        long examples = 0;
        while (training.hasNext() && features.size() < batches) {
            INDArray batch = training.next().getFeatures();
            features.add(batch);
            examples += batch.size(0);
        }
        List<LayerChange> changes = new ArrayList<>();
        for (BatchNormalization bn : layers) {
            Moments moments = inputMoments(network, bn, features);
            changes.add(change(bn, moments));
            BnParameters.setRunningStatistics(bn, moments.mean(), moments.variance());
        }
        return new Result(features.size(), examples, changes);
    }

    /** The BN layers of {@code network}, input side first; none is a {@link BadInputException}. */
    public static List<BatchNormalization> layersOf(MultiLayerNetwork network) {
        List<BatchNormalization> layers = new ArrayList<>();
        for (Layer layer : network.getLayers()) {
            if (layer instanceof BatchNormalization bn) {
                layers.add(bn);
            }
        }
        if (layers.isEmpty()) {
            throw new BadInputException("the network has no BatchNormalization layer");
        }
        return layers;
    }

    /**
     * Per-feature (or per-channel) mean and population variance, pooled exactly in double
     * precision from each batch's mean and biased variance (Chan, Golub and LeVeque's update).
     * The batch figures are DL4J's own training-time reductions, several times faster than
     * sums of squares in double.
     */
    private static final class Moments {
        private INDArray mean;
        private INDArray squaredDeviations;
        private long count;

        void add(INDArray batchMean, INDArray batchVariance, long batchCount) {
            INDArray m = batchMean.castTo(DataType.DOUBLE);
            INDArray squares = batchVariance.castTo(DataType.DOUBLE).muli(batchCount);
            if (count == 0) {
                mean = m;
                squaredDeviations = squares;
            } else {
                double total = count + batchCount;
                INDArray delta = m.subi(mean);
                squaredDeviations.addi(squares).addi(delta.mul(delta).muli(count * (batchCount / total)));
                mean.addi(delta.muli(batchCount / total));
            }
            count += batchCount;
        }

        INDArray mean() {
            return mean;
        }

        INDArray variance() {
            return squaredDeviations.div(count);
        }
    }

    private static Moments inputMoments(MultiLayerNetwork network, BatchNormalization bn, List<INDArray> batches) {
        Moments moments = new Moments();
        for (INDArray features : batches) {
            List<INDArray> activations = bn.getIndex() == 0 ? List.of(features)
                    : network.feedForwardToLayer(bn.getIndex() - 1, features, false);
            INDArray input = inputOf(network, bn.getIndex(), activations.get(bn.getIndex()));
            int[] overExamples = switch (input.rank()) {
                case 2 -> new int[]{0};
                case 4 -> bn.layerConf().getCnn2DFormat() == CNN2DFormat.NCHW ? new int[]{0, 2, 3} : new int[]{0, 1, 2};
                default -> throw new BadInputException("layer " + bn.getIndex() + " (BatchNormalization) takes input "
                        + "of rank " + input.rank() + "; precise BN handles dense (rank 2) and convolutional (rank 4) input");
            };
            INDArray mean = input.mean(overExamples);
            moments.add(mean, input.var(false, overExamples), input.length() / mean.length());
            // ND4J frees native memory only when the GC collects the arrays, and the heap hardly fills: free it now.
            release(activations.subList(1, activations.size()));
            if (input != features) {
                release(List.of(input));
            }
            NativeMemory.bound();
        }
        return moments;
    }

    /** The input of layer {@code index}, after its preprocessor if it has one, from the previous layer's output. */
    private static INDArray inputOf(MultiLayerNetwork network, int index, INDArray previousOutput) {
        InputPreProcessor preProcessor = network.getLayerWiseConfigurations().getInputPreProcess(index);
        return preProcessor == null ? previousOutput
                : preProcessor.preProcess(previousOutput, (int) previousOutput.size(0), LayerWorkspaceMgr.noWorkspaces());
    }

    private static void release(List<INDArray> arrays) {
        for (INDArray array : arrays) {
            if (array.closeable() && !array.wasClosed()) {
                array.close();
            }
        }
    }

    private static LayerChange change(BatchNormalization bn, Moments moments) {
        double eps = BnParameters.epsilon(bn);
        INDArray newSigma = Transforms.sqrt(moments.variance().add(eps), false);
        INDArray oldSigma = Transforms.sqrt(BnParameters.runningVariance(bn).castTo(DataType.DOUBLE).add(eps), false);
        INDArray meanShift = Transforms.abs(BnParameters.runningMean(bn).castTo(DataType.DOUBLE).sub(moments.mean()), false)
                .divi(newSigma);
        INDArray sigmaRatio = oldSigma.divi(newSigma);
        return new LayerChange(bn.getIndex(), moments.mean().length(), meanShift.maxNumber().doubleValue(),
                sigmaRatio.minNumber().doubleValue(), sigmaRatio.maxNumber().doubleValue(),
                meanShift.meanNumber().doubleValue(), sigmaRatio.meanNumber().doubleValue());
    }
}
