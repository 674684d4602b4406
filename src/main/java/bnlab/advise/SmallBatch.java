package bnlab.advise;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.layers.Layer;

import java.util.List;
import java.util.stream.IntStream;

/**
 * Training with batches smaller than {@value #SMALLEST_BATCH} while some BN layer trains, and so
 * normalizes with the statistics of each batch (frozen BN layers use their running statistics
 * and are not affected). One finding, at the first trainable BN.
 */
final class SmallBatch implements Rule {

    static final String ID = "small-batch";
    static final int SMALLEST_BATCH = 8;

    private final int batchSize;

    SmallBatch(int batchSize) {
        this.batchSize = batchSize;
    }

    @Override
    public List<Finding> check(MultiLayerConfiguration configuration) {
        List<Layer> layers = Layers.of(configuration);
        List<Integer> trainableBn = IntStream.range(0, layers.size())
                .filter(i -> Layers.isTrainableBatchNormalization(layers.get(i)))
                .boxed().toList();
        if (batchSize >= SMALLEST_BATCH || trainableBn.isEmpty()) {
            return List.of();
        }
        int first = trainableBn.get(0);
        return List.of(Finding.at(first, layers.get(first), ID,
                "Training batches of " + batchSize + " with BN in training mode ("
                        + Layers.indexes(trainableBn) + ").",
                "In training BN normalizes with the mean and variance of the current batch. Below "
                        + SMALLEST_BATCH + " examples these estimates are noisy, so the network learns on noisy "
                        + "features and the running statistics used at inference differ from what it saw in "
                        + "training; Wu and He (2018) measure BN's error rising steeply as batches shrink from 8 to 2. "
                        + "With a batch of 1 a BN after a Dense layer outputs beta in training, whatever the input.",
                "Train with batches of " + SMALLEST_BATCH + " or more (32 is common). If memory is the limit, "
                        + "use layer normalization (DenseLayer.Builder().hasLayerNorm(true)) or group "
                        + "normalization instead; gradient accumulation does not help, since BN still normalizes "
                        + "each small batch."));
    }
}
