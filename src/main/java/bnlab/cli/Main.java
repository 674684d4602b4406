package bnlab.cli;

import bnlab.BadInputException;
import bnlab.bench.Benchmark;
import bnlab.data.KnownDataset;
import bnlab.distributed.SweepFailedException;
import bnlab.experiment.Experiments;
import bnlab.model.BuiltInModel;
import bnlab.report.Versions;
import bnlab.cpu.CpuTuning;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.util.Set;

/**
 * The {@code bnlab} command. Exit codes: 0 done; 1 the command ran and found a problem;
 * 2 bad input or usage; 3 bnlab itself failed.
 */
@Command(name = "bnlab", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Batch Normalization in Deeplearning4j: train, measure, verify.%n"
                + "Without a command, runs 'compare', the tutorial's comparison.",
        subcommands = {CompareCommand.class, ExperimentCommand.class, VerifyCommand.class, BenchCommand.class,
                AdviseCommand.class, FoldCommand.class, PreciseBnCommand.class, UiCommand.class, DocsCommand.class,
                CommandLine.HelpCommand.class})
public final class Main {

    public static final int FOUND_PROBLEM = 1;
    public static final int BAD_INPUT = 2;
    public static final int FAILED = 3;

    static {
        // The command line's logging, kept out of the jar's root where it would take over the
        // logging of a project that uses bnlab as a library. Before the first logger is made.
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "bnlab/cli/logback.xml");
        }
    }

    private static final Logger log = LoggerFactory.getLogger(Main.class);
    private static final Set<String> TOP_LEVEL_OPTIONS = Set.of("-h", "--help", "-V", "--version");

    public static void main(String[] args) {
        CpuTuning.beforeNd4jLoadsCheckingMemoryPerBatch();
        System.setProperty("java.awt.headless", "true");
        System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /** Runs a command line, printing to {@code out} and {@code err}, and returns its exit code. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        return run(out, err, CommandLine.defaultFactory(), args);
    }

    /** {@link #run(PrintWriter, PrintWriter, String...)} with the commands made by {@code commands}. */
    static int run(PrintWriter out, PrintWriter err, CommandLine.IFactory commands, String... args) {
        CommandLine commandLine = new CommandLine(new Main(), commands)
                .registerConverter(BuiltInModel.class, new NamedValue<>(BuiltInModel.class))
                .registerConverter(Experiments.class, new NamedValue<>(Experiments.class))
                .registerConverter(KnownDataset.class, new NamedValue<>(KnownDataset.class))
                .registerConverter(Benchmark.Variant.class, new NamedValue<>(Benchmark.Variant.class))
                .setOut(out)
                .setErr(err)
                .setParameterExceptionHandler(Main::badUsage)
                .setExecutionExceptionHandler(Main::failure);
        try {
            return commandLine.execute(withDefaultCommand(args));
        } catch (OutOfMemoryError e) {
            err.printf("bnlab: out of memory (%s); the heap limit is %d MiB: raise -Xmx in .mvn/jvm.config, "
                    + "or for java -jar on its command line%n", e.getMessage(), Runtime.getRuntime().maxMemory() >> 20);
            return FAILED;
        }
    }

    /** {@code bnlab} and {@code bnlab --epochs 3} mean {@code bnlab compare ...}. */
    private static String[] withDefaultCommand(String[] args) {
        if (args.length > 0 && (!args[0].startsWith("-") || TOP_LEVEL_OPTIONS.contains(args[0]))) {
            return args;
        }
        String[] withCompare = new String[args.length + 1];
        withCompare[0] = "compare";
        System.arraycopy(args, 0, withCompare, 1, args.length);
        return withCompare;
    }

    private static int badUsage(CommandLine.ParameterException e, String[] args) {
        CommandLine command = e.getCommandLine();
        command.getErr().printf("%s: %s (see '%s --help')%n", command.getCommandName(), e.getMessage(),
                command.getCommandSpec().qualifiedName());
        return BAD_INPUT;
    }

    private static int failure(Exception e, CommandLine command, CommandLine.ParseResult parsed) {
        if (e instanceof BadInputException) {
            command.getErr().printf("%s: %s%n", command.getCommandName(), e.getMessage());
            return BAD_INPUT;
        }
        if (e instanceof SweepFailedException) {
            // Not bnlab failing: runs failed on the cluster, and the message says what to do.
            command.getErr().printf("%s: %s%n", command.getCommandName(), e.getMessage());
            return FAILED;
        }
        log.error("{} failed", command.getCommandName(), e);
        command.getErr().printf("%s: failed: %s%n", command.getCommandName(), e);
        return FAILED;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return Versions.all().entrySet().stream().map(v -> v.getKey() + " " + v.getValue()).toArray(String[]::new);
        }
    }
}
