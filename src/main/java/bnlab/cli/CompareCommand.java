package bnlab.cli;

import bnlab.distributed.DataParallel;
import bnlab.distributed.SparkCluster;
import bnlab.distributed.SparkMaster;
import bnlab.experiment.Compare;
import bnlab.experiment.Runner;
import bnlab.model.BuiltInModel;
import bnlab.report.RunFolder;
import bnlab.report.Summary;
import bnlab.train.Console;
import bnlab.train.History;
import org.deeplearning4j.optimize.api.TrainingListener;
import picocli.CommandLine;
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

    @Option(names = "--spark", paramLabel = "MASTER",
            description = "train each model across workers on this Spark master (local[N] or spark://HOST:PORT) "
                    + "with DL4J's parameter averaging; needs --workers")
    String spark;

    @Option(names = "--workers", paramLabel = "K", converter = PositiveInt.class,
            description = "with --spark: workers that each train a copy on batch-size / K examples, averaged every "
                    + "5 batches")
    Integer workers;

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
        if ((spark == null) != (workers == null)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--spark and --workers go together");
        }
        RunCommands.Resumable<Compare.Settings> start = RunCommands.Resumable.of(spec, "compare", resume,
                Compare.Settings.class, () -> new Compare.Settings(models, data.settings(), training.settings(),
                        spark == null ? null : new Compare.AcrossWorkers(spark, workers)),
                Compare.Settings::data);
        Compare.AcrossWorkers across = start.settings().acrossWorkers();
        if (across != null) {
            DataParallel.requireDivisible(start.settings().training().batchSize(), across.workers());
        }
        SparkMaster master = RunCommands.sparkMaster(across == null ? null : across.spark());
        PrintWriter console = spec.commandLine().getOut();
        try (RunFolder out = start.folder(output, "compare")) {
            return RunCommands.record(out, "compare", start.settings(), ui, () -> {
                Console progress = new Console(console, System.console() != null);
                List<History> histories = master == null
                        ? Compare.run(start.settings(), start.data(), progress, out, start.checkpoint(),
                                Runner.hereOnly(progress), watching)
                        : acrossWorkers(master, start, progress, out);
                Summary summary = Summary.of(histories, start.settings());
                console.printf("%n%sresults: %s%n", summary.table(), out.path());
                return summary.status();
            });
        }
    }

    private List<History> acrossWorkers(SparkMaster master, RunCommands.Resumable<Compare.Settings> start,
                                        Console progress, RunFolder out) {
        try (SparkCluster cluster = SparkCluster.start(master, out.path().getFileName().toString())) {
            return Compare.run(start.settings(), start.data(), progress, out, start.checkpoint(),
                    workers -> new DataParallel(cluster.context(), workers, progress), watching);
        }
    }
}
