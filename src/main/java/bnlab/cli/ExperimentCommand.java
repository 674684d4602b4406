package bnlab.cli;

import bnlab.data.DataSettings;
import bnlab.distributed.DataParallel;
import bnlab.distributed.SparkCluster;
import bnlab.distributed.SparkMaster;
import bnlab.distributed.SparkSweep;
import bnlab.experiment.ExperimentSettings;
import bnlab.experiment.Experiments;
import bnlab.experiment.Findings;
import bnlab.experiment.Plan;
import bnlab.experiment.RunTraining;
import bnlab.report.RunFolder;
import bnlab.train.Checkpoint;
import bnlab.train.Console;
import bnlab.train.Fitting;
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

    @Option(names = "--spark", paramLabel = "MASTER",
            description = "train the runs (variant x seed) as tasks on this Spark master: local[N] or "
                    + "spark://HOST:PORT; they land in the same run folder, and --resume trains the runs not yet finished. "
                    + "The data-parallel experiment trains each network across workers there instead (default: "
                    + "local[N], N the cores here)")
    String spark;

    @Mixin
    DataOptions data;

    @Mixin
    OutputOptions output;

    @Mixin
    UiOptions ui;

    /** What settings.json records, so that --resume can rebuild the runs, where they were trained. */
    record Settings(Experiments experiment, ExperimentSettings settings, String spark) {
    }

    @Override
    public Integer call() {
        if (resume == null && name == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "Missing experiment NAME");
        }
        RunCommands.Resumable<Settings> start = RunCommands.Resumable.of(spec, "experiment", resume, Settings.class,
                () -> new Settings(name, chosen(), sparkMaster()), chosen -> chosen.settings().data());
        Settings settings = start.settings();
        // Made before anything is written, so that a plan that cannot be made (a batch that does
        // not split over its workers) is refused without a trace.
        Plan plan = settings.experiment().experiment().plan(settings.settings(), start.data());
        boolean sweep = settings.spark() != null && !settings.experiment().experiment().trainsAcrossWorkers();
        if (sweep && ui.ui) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--ui shows training in this process; "
                    + "a sweep on --spark trains its runs on the cluster");
        }
        SparkMaster master = RunCommands.sparkMaster(settings.spark());
        PrintWriter out = spec.commandLine().getOut();
        try (RunFolder folder = start.folder(output, settings.experiment().toString())) {
            return RunCommands.record(folder, "experiment", settings, ui, () -> {
                Console console = new Console(out, System.console() != null);
                Findings findings = master == null
                        ? settings.experiment().run(plan, console, folder,
                                RunTraining.here(console, folder, start.checkpoint()))
                        : onSpark(master, settings, plan, start.checkpoint(), console, folder);
                out.printf("%n%s: %s%nresults: %s%n", settings.experiment(), findings.brief(), folder.path());
                return Status.DONE;
            });
        }
    }

    /**
     * The runs as tasks of a sweep on {@code master}; or, for an experiment whose runs train
     * across workers, one after the other here, each across its workers on {@code master}.
     */
    private static Findings onSpark(SparkMaster master, Settings settings, Plan plan, Checkpoint.Restored checkpoint,
                                    Console console, RunFolder folder) {
        try (SparkCluster cluster = SparkCluster.start(master, folder.path().getFileName().toString())) {
            RunTraining training = settings.experiment().experiment().trainsAcrossWorkers()
                    ? RunTraining.here(console, folder, checkpoint, workers -> workers == 1
                            ? Fitting.here(console) : new DataParallel(cluster.context(), workers, console))
                    : new SparkSweep(cluster.context(), folder, console);
            return settings.experiment().run(plan, console, folder, training);
        }
    }

    /** The master --spark names; for an experiment across workers without it, Spark in this process. */
    private String sparkMaster() {
        if (spark == null && name.experiment().trainsAcrossWorkers()) {
            return "local[" + Runtime.getRuntime().availableProcessors() + "]";
        }
        return spark;
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
