package bnlab.train;

import bnlab.cpu.NativeMemory;
import bnlab.data.BatchIterator;
import bnlab.data.InputShape;
import bnlab.data.TrainTest;
import bnlab.train.DivergenceListener.DivergedException;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.TrainingListener;

import java.util.ArrayList;
import java.util.List;

/**
 * Trains a network on a dataset's training set (set the network up for the CPU first:
 * {@link bnlab.cpu.CpuTuning#apply}), validates it on the test set after every
 * epoch, and returns what happened. With {@link TrainingSettings#accumulation()} above 1 each
 * updater step sums the gradients of that many batches ({@link GradientAccumulation}). Training that diverges stops at once and is returned
 * with status {@link Status#DIVERGED}. Prints one line per epoch, and progress while an epoch
 * runs, unless the console is silent.
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

    /** Trains a new, initialized {@code network} for the configured epochs. */
    public History fit(String name, MultiLayerNetwork network, TrainTest data, TrainingListener... extra) {
        return fit(History.start(name), network, data, (history, net) -> {
        }, extra);
    }

    /**
     * Trains {@code network} from where {@code soFar} ends to the configured number of epochs.
     *
     * @param afterEpoch given the network's history after each epoch, with the network in its
     *                   state at that moment (to save results or a checkpoint)
     * @param extra      further listeners, called after bnlab's own
     */
    public History fit(History soFar, MultiLayerNetwork network, TrainTest data, EpochAction afterEpoch,
                       TrainingListener... extra) {
        String name = soFar.model();
        int done = soFar.epochs().size();
        InputShape shape = InputShape.of(network.getLayerWiseConfigurations());
        BatchIterator train = BatchIterator.shuffled(data.train(), settings.batchSize(), shape, settings.seed());
        train.startEpoch(done);
        BatchIterator validation = BatchIterator.inOrder(data.test(), VALIDATION_BATCH_SIZE, shape);
        HistoryListener history = new HistoryListener(soFar, validation, h -> {
            printEpoch(name, h.last());
            afterEpoch.accept(h, network);
        });
        List<TrainingListener> listeners = new ArrayList<>();
        if (!console.silent()) {
            // First, so that its line is cleared before the epoch's line is printed.
            listeners.add(new ProgressListener(console, name, train.numExamples(), done + 1, settings.epochs()));
        }
        listeners.add(history);
        listeners.add(new DivergenceListener());
        listeners.add(new SingleExampleBatchGuard());
        listeners.add(NativeMemory.listener());
        listeners.addAll(List.of(extra));
        network.setListeners(listeners);
        try {
            if (done < settings.epochs() && settings.accumulation() == 1) {
                network.fit(train, settings.epochs() - done);
            } else if (done < settings.epochs()) {
                new GradientAccumulation(network, settings.accumulation()).fit(train, settings.epochs() - done);
            }
            return history.history().withStatus(Status.DONE, null);
        } catch (DivergedException e) {
            console.printf("%n%s diverged: %s%n", name, e.getMessage());
            return history.history().withStatus(Status.DIVERGED, e.getMessage());
        }
    }

    private void printEpoch(String name, EpochRecord r) {
        printEpoch(console, name, r, settings.epochs());
    }

    /** The line a finished epoch prints: "mlp_bn   epoch  1/10  loss 0.2301  acc ...". */
    public static void printEpoch(Console console, String name, EpochRecord r, int epochs) {
        console.printf("%-8s epoch %2d/%d  loss %.4f  acc %.4f  val_loss %.4f  val_acc %.4f  %.1f s%n",
                name, r.epoch(), epochs, r.trainLoss(), r.trainAccuracy(), r.valLoss(), r.valAccuracy(), r.seconds());
    }

    /** Something to do with a network and its history after each epoch. */
    @FunctionalInterface
    public interface EpochAction {
        void accept(History history, MultiLayerNetwork network);
    }
}
