package bnlab.cli;

import bnlab.experiment.Compare;
import bnlab.model.BuiltInModel;
import bnlab.report.RunFolder;
import bnlab.report.Summary;
import bnlab.train.Console;
import bnlab.train.History;
import org.deeplearning4j.optimize.api.TrainingListener;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "compare", mixinStandardHelpOptions = true,
        description = "Train models side by side, by default the tutorial's MLP without and with BatchNormalization, "
                + "and write history.csv, iterations.csv, summary.json and comparison.png.")
final class CompareCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--models", split = ",", defaultValue = "mlp,mlp_bn", paramLabel = "NAME",
            description = "models to train, from ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})")
    List<BuiltInModel> models;

    @Option(names = "--resume", paramLabel = "RUN_DIR",
            description = "continue the interrupted comparison in RUN_DIR, with its own settings")
    Path resume;

    @Mixin
    DataOptions data;

    @Mixin
    TrainingOptions training;

    @Mixin
    OutputOptions output;

    @Mixin
    UiOptions ui;

    private final TrainingListener[] watching;

    CompareCommand() {
        this(new TrainingListener[0]);
    }

    /** @param watching listeners of every model's training, called after the epoch's results are written */
    CompareCommand(TrainingListener... watching) {
        this.watching = watching;
    }

    @Override
    public Integer call() {
        RunCommands.Resumable<Compare.Settings> start = RunCommands.Resumable.of(spec, "compare", resume,
                Compare.Settings.class, () -> new Compare.Settings(models, data.settings(), training.settings()),
                Compare.Settings::data);
        PrintWriter console = spec.commandLine().getOut();
        try (RunFolder out = start.folder(output, "compare")) {
            return RunCommands.record(out, "compare", start.settings(), ui, () -> {
                Console progress = new Console(console, System.console() != null);
                List<History> histories = Compare.run(start.settings(), start.data(), progress, out,
                        start.checkpoint(), watching);
                Summary summary = Summary.of(histories, start.settings());
                console.printf("%n%sresults: %s%n", summary.table(), out.path());
                return summary.status();
            });
        }
    }
}
