package bnlab.cli;

import bnlab.data.DataSettings;
import bnlab.experiment.ExperimentSettings;
import bnlab.experiment.Experiments;
import bnlab.experiment.Findings;
import bnlab.report.RunFolder;
import bnlab.train.Console;
import bnlab.train.Status;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "experiment", mixinStandardHelpOptions = true,
        description = "Put one of the tutorial's claims to measurement: train its variants over several seeds and "
                + "write history.csv, summary.json, charts and findings.md with the measured verdict.")
final class ExperimentCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "NAME", arity = "0..1", description = "one of: ${COMPLETION-CANDIDATES}")
    Experiments name;

    @Option(names = "--quick", description = "a reduced version: a data subset, fewer epochs and seeds (about a minute)")
    boolean quick;

    @Option(names = "--seeds", paramLabel = "K", converter = PositiveInt.class,
            description = "seeds per variant (default: the experiment's, 3 where noise matters)")
    Integer seeds;

    @Option(names = "--epochs", paramLabel = "N", converter = PositiveInt.class,
            description = "epochs per run (default: the experiment's)")
    Integer epochs;

    @Option(names = "--batch-size", paramLabel = "N", converter = PositiveInt.class,
            description = "training batch size (default: the experiment's)")
    Integer batchSize;

    @Option(names = "--resume", paramLabel = "RUN_DIR",
            description = "continue the interrupted experiment in RUN_DIR, with its own settings")
    Path resume;

    @Mixin
    DataOptions data;

    @Mixin
    OutputOptions output;

    @Mixin
    UiOptions ui;

    /** What settings.json records, so that --resume can rebuild the runs. */
    record Settings(Experiments experiment, ExperimentSettings settings) {
    }

    @Override
    public Integer call() {
        if (resume == null && name == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "Missing experiment NAME");
        }
        RunCommands.Resumable<Settings> start = RunCommands.Resumable.of(spec, "experiment", resume, Settings.class,
                () -> new Settings(name, chosen()), chosen -> chosen.settings().data());
        Settings settings = start.settings();
        PrintWriter out = spec.commandLine().getOut();
        try (RunFolder folder = start.folder(output, settings.experiment().toString())) {
            return RunCommands.record(folder, "experiment", settings, ui, () -> {
                Findings findings = settings.experiment().run(settings.settings(), start.data(),
                        new Console(out, System.console() != null), folder, start.checkpoint());
                out.printf("%n%s: %s%nresults: %s%n", settings.experiment(), findings.brief(), folder.path());
                return Status.DONE;
            });
        }
    }

    /** The experiment's own settings, full or quick, with what the command line changes. */
    private ExperimentSettings chosen() {
        ExperimentSettings base = quick ? name.experiment().quick() : name.experiment().defaults();
        ExperimentSettings chosen = base.withData(new DataSettings(data.dataset, data.directory,
                data.limit != null ? data.limit : base.data().limit()));
        if (epochs != null) {
            chosen = chosen.withEpochs(epochs);
        }
        if (batchSize != null) {
            chosen = chosen.withBatchSize(batchSize);
        }
        if (seeds != null) {
            chosen = chosen.withSeeds(seeds);
        }
        return chosen;
    }
}
