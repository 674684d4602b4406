package bnlab.train;

import java.io.Serializable;

/**
 * One epoch of training, as Keras reports it.
 *
 * @param epoch         1 for the first epoch
 * @param trainLoss     mean score of the epoch's batches, each taken as it was trained
 * @param trainAccuracy accuracy on the epoch's batches in training mode, before each update
 * @param valLoss       cross-entropy on the validation set in inference mode, after the epoch
 * @param valAccuracy   accuracy on the validation set in inference mode, after the epoch
 * @param seconds       wall time of the epoch's training, validation excluded
 */
public record EpochRecord(int epoch, double trainLoss, double trainAccuracy, double valLoss, double valAccuracy,
                          double seconds) implements Serializable {
}
