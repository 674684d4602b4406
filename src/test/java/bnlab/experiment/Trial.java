package bnlab.experiment;

import bnlab.report.RunFolder;
import bnlab.train.Console;
import bnlab.train.History;

import java.nio.file.Path;
import java.util.List;

/** An experiment's plan trained silently into {@code out}, and the findings it draws from it. */
record Trial(Plan plan, Results results, Findings findings) {

    static Trial run(Experiment experiment, Plan plan, Path out) {
        try (RunFolder folder = RunFolder.open(out)) {
            Results results = Experiments.train(plan, Console.none(), folder,
                    RunTraining.here(Console.none(), folder, null));
            return new Trial(plan, results, experiment.findings(plan, results, folder));
        }
    }

    List<History> histories() {
        return results.histories();
    }
}
