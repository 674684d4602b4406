package bnlab.experiment;

import bnlab.report.RunFolder;
import bnlab.train.Console;
import bnlab.train.History;

import java.nio.file.Path;
import java.util.List;

/** An experiment's plan trained silently into {@code out}, and the findings it draws from it. */
record Trial(Plan plan, List<History> histories, Findings findings) {

    static Trial run(Experiment experiment, Plan plan, Path out) {
        try (RunFolder folder = RunFolder.open(out)) {
            List<History> histories = Experiments.train(plan, Console.none(), folder, null);
            return new Trial(plan, histories, experiment.findings(plan, histories, folder));
        }
    }
}
