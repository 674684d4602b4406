package bnlab.experiment;

import bnlab.model.Cnn;
import bnlab.model.Mlp;
import bnlab.model.Normalization;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The batch-size experiment's points: networks, each normalized every way, at batch sizes
 * from the smallest up.
 *
 * @param networks   the networks swept
 * @param batchSizes the batch sizes, smallest first
 */
record BatchSweep(List<Network> networks, List<Integer> batchSizes) {

    BatchSweep {
        networks = List.copyOf(networks);
        batchSizes = List.copyOf(batchSizes);
    }

    /** The tutorial's networks, with a normalization in place of BN. */
    enum Network {
        CNN, MLP;

        MultiLayerConfiguration configuration(Normalization normalization, long seed) {
            return switch (this) {
                case CNN -> Cnn.tutorial(seed).withNormalization(normalization).configuration();
                case MLP -> Mlp.tutorial(seed).withNormalization(normalization).configuration();
            };
        }

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** How a run normalizes, and whether it accumulates micro-batches into steps of the effective batch. */
    enum Variant {
        NONE(Normalization.NONE, false),
        BN(Normalization.BATCH, false),
        LN(Normalization.LAYER, false),
        GN(Normalization.GROUP, false),
        BN_ACCUM(Normalization.BATCH, true);

        final Normalization normalization;
        final boolean accumulated;

        Variant(Normalization normalization, boolean accumulated) {
            this.normalization = normalization;
            this.accumulated = accumulated;
        }

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** One point of the sweep: a network normalized one way, trained on batches of one size. */
    record Cell(Network network, Variant variant, int batchSize) {

        boolean bn() {
            return variant.normalization == Normalization.BATCH;
        }
    }

    int smallest() {
        return batchSizes.get(0);
    }

    /** "cnn-bn_accum-b8". */
    static String name(Network network, Variant variant, int batchSize) {
        return network + "-" + variant + "-b" + batchSize;
    }

    /**
     * The sweep's points by variant name, network by network, batch size by batch size:
     * every variant at every batch size, but accumulation only where it has micro-batches to
     * accumulate (below the {@code effective} batch).
     */
    Map<String, Cell> cells(int effective) {
        Map<String, Cell> cells = new LinkedHashMap<>();
        for (Network network : networks) {
            for (int batchSize : batchSizes) {
                for (Variant variant : Variant.values()) {
                    if (!(variant.accumulated && batchSize == effective)) {
                        cells.put(name(network, variant, batchSize), new Cell(network, variant, batchSize));
                    }
                }
            }
        }
        return cells;
    }
}
