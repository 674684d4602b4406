package bnlab.train;

import bnlab.data.TrainTest;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.TrainingListener;

/**
 * How a network trains for its settings: here, by {@link Trainer}, or across workers
 * ({@code bnlab.distributed.DataParallel}). Either way it continues from {@code soFar} and
 * hands the history and network to {@code afterEpoch} after every epoch.
 */
@FunctionalInterface
public interface Fitting {

    History fit(TrainingSettings settings, History soFar, MultiLayerNetwork network, TrainTest data,
                Trainer.EpochAction afterEpoch, TrainingListener... extra);

    /** Training in this process, printing to {@code console}. */
    static Fitting here(Console console) {
        return (settings, soFar, network, data, afterEpoch, extra) ->
                new Trainer(settings, console).fit(soFar, network, data, afterEpoch, extra);
    }
}
