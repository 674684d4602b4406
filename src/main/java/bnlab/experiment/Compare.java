package bnlab.experiment;

import bnlab.data.DataSettings;
import bnlab.data.TrainTest;
import bnlab.model.BuiltInModel;
import bnlab.report.Charts;
import bnlab.report.HistoryTables;
import bnlab.report.RunFolder;
import bnlab.report.Summary;
import bnlab.train.Console;
import bnlab.train.History;
import bnlab.train.Trainer;
import bnlab.train.TrainingSettings;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

import java.util.ArrayList;
import java.util.List;

/**
 * The tutorial's experiment: the same network trained with and without BatchNormalization,
 * side by side, epoch by epoch. By default the MLP: Dense -> ReLU against
 * Dense -> BN -> ReLU, 10 epochs of batches of 32 with Adam.
 */
public final class Compare {

    /** What to compare, on what data, trained how. */
    public record Settings(List<BuiltInModel> models, DataSettings data, TrainingSettings training) {

        public Settings {
            models = List.copyOf(models);
        }

        public static Settings tutorial() {
            return new Settings(List.of(BuiltInModel.MLP, BuiltInModel.MLP_BN), DataSettings.mnist(),
                    TrainingSettings.tutorial(42));
        }
    }

    private Compare() {
    }

    /**
     * Trains each model in turn and writes {@code history.csv}, {@code iterations.csv},
     * {@code summary.json} and {@code comparison.png} to {@code out}, anew after each model so
     * that finished models' results are kept whatever happens to the next.
     */
    public static Summary run(Settings settings, Console console, RunFolder out) {
        TrainTest data = settings.data().load();
        Trainer trainer = new Trainer(settings.training(), console);
        List<History> histories = new ArrayList<>();
        Summary summary = null;
        for (BuiltInModel model : settings.models()) {
            MultiLayerNetwork network = new MultiLayerNetwork(model.configuration(settings.training().seed()));
            network.init();
            histories.add(trainer.fit(model.toString(), network, data));
            summary = Summary.of(histories, settings);
            out.writeString("history.csv", HistoryTables.epochsCsv(histories));
            out.writeString("iterations.csv", HistoryTables.iterationsCsv(histories));
            out.writeJson("summary.json", summary);
            out.writePng("comparison.png", Charts.epochComparison(histories));
        }
        return summary;
    }
}
