package bnlab.cli;

import bnlab.BadInputException;
import bnlab.Json;
import bnlab.data.DataSettings;
import bnlab.data.TrainTest;
import bnlab.distributed.SparkCluster;
import bnlab.distributed.SparkMaster;
import bnlab.experiment.Runner;
import bnlab.report.RunFolder;
import bnlab.report.RunReport;
import bnlab.train.Checkpoint;
import bnlab.train.Status;
import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/** What every command that trains into a run folder does the same way. */
final class RunCommands {

    private RunCommands() {
    }

    /**
     * Records the command's start and settings in {@code out}, runs it, records how it ended,
     * and writes the folder's {@code index.html}. Returns the exit code: 0 when done, 1 when
     * training diverged or a check failed.
     */
    static int record(RunFolder out, String command, Object settings, Supplier<Status> body) {
        out.start(command, settings);
        Status status;
        try {
            status = body.get();
        } catch (RuntimeException | Error e) {
            out.finish(Status.FAILED, String.valueOf(e.getMessage()));
            try {
                RunReport.write(out);
            } catch (RuntimeException reportFailure) {
                e.addSuppressed(reportFailure);
            }
            throw e;
        }
        out.finish(status, null);
        RunReport.write(out);
        return status == Status.DONE ? 0 : Main.FOUND_PROBLEM;
    }

    /** {@link #record}, with the training shown live in the dashboard if {@code ui} asks for it. */
    static int record(RunFolder out, String command, Object settings, UiOptions ui, Supplier<Status> body) {
        return record(out, command, settings, () -> ui.showingLive(out, body));
    }

    /**
     * How a training command starts: afresh, or with {@code --resume} from an interrupted run's
     * folder with that run's own settings and checkpoint. Everything here is read and checked
     * before any file is written.
     *
     * @param resume the folder to continue, or null to start afresh
     */
    record Resumable<S>(S settings, TrainTest data, Checkpoint.Restored checkpoint, Path resume) {

        /**
         * @param fresh the settings of a new run, from the command's options
         * @param data  the data that settings train on
         */
        static <S> Resumable<S> of(CommandSpec spec, String command, Path resume, Class<S> type, Supplier<S> fresh,
                               Function<S, DataSettings> data) {
            if (resume != null) {
                requireAlone(spec, "--resume");
            }
            S settings = resume == null ? fresh.get() : settingsOf(resume, command, type);
            TrainTest trainTest = data.apply(settings).load();
            return new Resumable<>(settings, trainTest, resume == null ? null : Runner.checkpointIn(resume), resume);
        }

        /** The run folder: the resumed run's own, or a new one. */
        RunFolder folder(OutputOptions output, String name) {
            return resume == null ? output.folder(name) : RunFolder.open(resume);
        }
    }

    /** The settings recorded in {@code runDir}/settings.json by an earlier {@code command}. */
    static <T> T settingsOf(Path runDir, String command, Class<T> type) {
        Path file = runDir.resolve("settings.json");
        if (!Files.isRegularFile(file)) {
            throw new BadInputException(file + ": not found; --resume takes the folder of an earlier run");
        }
        try {
            JsonNode recorded = Json.MAPPER.readTree(file.toFile());
            String recordedCommand = recorded.path("command").asText();
            if (!command.equals(recordedCommand)) {
                throw new BadInputException(file + ": a '" + recordedCommand + "' run, not a '" + command + "' run");
            }
            return Json.MAPPER.treeToValue(recorded.path("settings"), type);
        } catch (IOException e) {
            throw new BadInputException(file + ": not readable settings (" + e.getMessage() + ")", e);
        }
    }

    /** Refuses {@code option} together with any option but the dashboard's, which only watch the run. */
    static void requireAlone(CommandSpec spec, String option) {
        Set<OptionSpec> watching = spec.mixins().values().stream()
                .filter(mixin -> mixin.userObject() instanceof UiOptions)
                .flatMap(mixin -> mixin.options().stream())
                .collect(Collectors.toSet());
        List<String> others = spec.commandLine().getParseResult().matchedOptions().stream()
                .filter(matched -> !watching.contains(matched))
                .map(OptionSpec::longestName)
                .filter(name -> !name.equals(option))
                .toList();
        if (!others.isEmpty()) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    option + " continues a run with its own settings; it takes no " + String.join(", ", others));
        }
    }

    /**
     * The Spark master a training command was given, checked before anything is written: a
     * master URL, a JVM that Spark can run in and a standalone master that answers; null without one.
     */
    static SparkMaster sparkMaster(String url) {
        if (url == null) {
            return null;
        }
        SparkMaster master = SparkMaster.parse(url);
        SparkCluster.requireJvmOptions();
        master.requireReachable();
        return master;
    }
}
