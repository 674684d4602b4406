package bnlab.experiment;

import bnlab.data.TrainTest;
import bnlab.report.RunFolder;
import bnlab.train.Console;
import bnlab.train.History;

import java.nio.file.Path;
import java.util.List;

/** An experiment's runs trained silently into {@code out}, and the findings it draws from them. */
record Trial(List<History> histories, Findings findings) {

    static Trial run(Experiment experiment, List<Runner.Run> runs, ExperimentSettings settings, TrainTest data,
                     Path out) {
        try (RunFolder folder = RunFolder.open(out)) {
            List<History> histories = new Runner(folder, Console.none(), settings, h -> {
            }).run(runs, data);
            return new Trial(histories, experiment.findings(histories, settings, folder));
        }
    }
}
