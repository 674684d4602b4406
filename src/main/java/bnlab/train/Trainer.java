package bnlab.train;

import bnlab.data.BatchIterator;
import bnlab.data.InputShape;
import bnlab.data.TrainTest;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.TrainingListener;

import java.util.ArrayList;
import java.util.List;

/**
 * Trains a network on a dataset's training set, validates it on the test set after every
 * epoch, and returns what happened. Prints one line per epoch, and progress while an epoch
 * runs, when given somewhere to print.
 */
public final class Trainer {

    /** Batch size of validation: any size gives the same result in inference mode. */
    private static final int VALIDATION_BATCH_SIZE = 1000;

    private final TrainingSettings settings;
    private final Console console;

    /** @param console where progress and epoch lines go */
    public Trainer(TrainingSettings settings, Console console) {
        this.settings = settings;
        this.console = console;
    }

    public TrainingSettings settings() {
        return settings;
    }

    /**
     * Trains {@code network} (initialized) for the configured epochs.
     *
     * @param extra further listeners, called after bnlab's own
     */
    public History fit(String name, MultiLayerNetwork network, TrainTest data, TrainingListener... extra) {
        InputShape shape = InputShape.of(network.getLayerWiseConfigurations());
        BatchIterator train = BatchIterator.shuffled(data.train(), settings.batchSize(), shape, settings.seed());
        BatchIterator validation = BatchIterator.inOrder(data.test(), VALIDATION_BATCH_SIZE, shape);
        HistoryListener history = new HistoryListener(name, validation, record -> printEpoch(name, record));
        List<TrainingListener> listeners = new ArrayList<>();
        if (!console.silent()) {
            // First, so that its line is cleared before the epoch's line is printed.
            listeners.add(new ProgressListener(console, name, train.numExamples(), 1, settings.epochs()));
        }
        listeners.add(history);
        listeners.addAll(List.of(extra));
        network.setListeners(listeners);
        network.fit(train, settings.epochs());
        return history.history();
    }

    private void printEpoch(String name, EpochRecord r) {
        console.printf("%-8s epoch %2d/%d  loss %.4f  acc %.4f  val_loss %.4f  val_acc %.4f  %.1f s%n",
                name, r.epoch(), settings.epochs(), r.trainLoss(), r.trainAccuracy(), r.valLoss(), r.valAccuracy(),
                r.seconds());
    }
}
