package bnlab.experiment;

import bnlab.data.DataSettings;
import bnlab.data.TrainTest;
import bnlab.model.BuiltInModel;
import bnlab.report.Charts;
import bnlab.report.RunFolder;
import bnlab.train.Checkpoint;
import bnlab.train.Console;
import bnlab.train.Fitting;
import bnlab.train.History;
import bnlab.train.RunName;
import bnlab.train.TrainingSettings;
import org.deeplearning4j.optimize.api.TrainingListener;

import java.util.List;
import java.util.function.IntFunction;

/**
 * The tutorial's experiment: the same network trained with and without BatchNormalization,
 * side by side, epoch by epoch. By default the MLP: Dense -> ReLU against
 * Dense -> BN -> ReLU, 10 epochs of batches of 32 with Adam.
 */
public final class Compare {

    /**
     * What to compare, on what data, trained how.
     *
     * @param acrossWorkers where each model trains across workers, or null to train here
     */
    public record Settings(List<BuiltInModel> models, DataSettings data, TrainingSettings training,
                           AcrossWorkers acrossWorkers) {

        public Settings {
            models = List.copyOf(models);
        }

        public Settings(List<BuiltInModel> models, DataSettings data, TrainingSettings training) {
            this(models, data, training, null);
        }

        public static Settings tutorial() {
            return new Settings(BuiltInModel.TUTORIAL_MLPS, DataSettings.mnist(),
                    TrainingSettings.tutorial(42));
        }

        List<Runner.Run> runs() {
            int workers = acrossWorkers == null ? 1 : acrossWorkers.workers();
            return models.stream()
                    .map(model -> new Runner.Run(RunName.of(model.toString()), model.configuration(training.seed()), training)
                            .acrossWorkers(workers))
                    .toList();
        }
    }

    /**
     * Data-parallel training of each model on a Spark master.
     *
     * @param spark   the Spark master URL
     * @param workers workers that each train a copy on batch size / workers examples
     */
    public record AcrossWorkers(String spark, int workers) {
    }

    private Compare() {
    }

    /**
     * Trains each model in turn, from the start or from an interrupted comparison's checkpoint,
     * writing the histories, {@code summary.json} and {@code comparison.png} after every epoch.
     *
     * @param fitting  how a model trains over its settings' workers: here, or across Spark workers
     * @param watching listeners of every model's training, called after the epoch's results and checkpoint are written
     */
    public static List<History> run(Settings settings, TrainTest data, Console console, RunFolder out,
                                     Checkpoint.Restored checkpoint, IntFunction<Fitting> fitting,
                                     TrainingListener... watching) {
        return new Runner(out, console, settings,
                histories -> out.writePng("comparison.png", Charts.epochComparison(histories)), fitting, watching)
                .run(settings.runs(), data, checkpoint).histories();
    }
}
