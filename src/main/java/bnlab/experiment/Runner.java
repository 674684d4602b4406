package bnlab.experiment;

import bnlab.BadInputException;
import bnlab.cpu.CpuTuning;
import bnlab.data.TrainTest;
import bnlab.report.HistoryTables;
import bnlab.report.RunFolder;
import bnlab.report.Summary;
import bnlab.train.Checkpoint;
import bnlab.train.Console;
import bnlab.train.Fitting;
import bnlab.train.History;
import bnlab.train.RunName;
import bnlab.train.TrainingSettings;
import bnlab.ui.TrainingStats;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.IOException;
import java.io.Serial;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import java.util.stream.Stream;

/**
 * Trains models one after the other into a run folder. After every epoch it rewrites
 * {@code history.csv}, {@code iterations.csv}, {@code summary.json} and the experiment's own
 * charts, and replaces {@code checkpoint.zip}, from which a run that was killed continues. A model that diverges is recorded as diverged and the next one starts.
 * Each trained network is saved as {@code models/<name>.zip}, and each run reports to DL4J's
 * dashboard as a session of its own, recorded in the folder's {@code stats.bin}.
 */
public final class Runner {

    public static final String CHECKPOINT = "checkpoint.zip";

    /**
     * One model to train, as a value: its name in the results, its configuration, how to train
     * it, what it records beyond the history (recorders start afresh if the run resumes), the
     * parameters it starts from instead of its configuration's initialization, if any, and over
     * how many data-parallel workers it trains. It serializes whole (its configuration as DL4J's
     * JSON), so it can train in another process.
     *
     * @param workers workers that each train a copy of the network on batch size / workers
     *                examples of every batch (1: one network, on whole batches)
     */
    public record Run(RunName name, MultiLayerConfiguration configuration, TrainingSettings training,
                      List<Recorder> recorders, Optional<Start> start, int workers) implements Serializable {

        public Run {
            recorders = List.copyOf(recorders);
            if (workers < 1 || training.batchSize() % workers != 0) {
                throw new BadInputException("a batch of " + training.batchSize() + " does not split over " + workers
                        + " workers: each worker trains on batch size / workers examples");
            }
        }

        public Run(RunName name, MultiLayerConfiguration configuration, TrainingSettings training,
                   List<Recorder> recorders, Optional<Start> start) {
            this(name, configuration, training, recorders, start, 1);
        }

        public Run(RunName name, MultiLayerConfiguration configuration, TrainingSettings training,
                   List<Recorder> recorders) {
            this(name, configuration, training, recorders, Optional.empty());
        }

        public Run(RunName name, MultiLayerConfiguration configuration, TrainingSettings training) {
            this(name, configuration, training, List.of());
        }

        /**
         * A new network for this run: its configuration's, initialized, with its start's
         * parameters if it has one. On a copy of the configuration, which training changes (DL4J
         * counts iterations and epochs in it, and Adam's step depends on them).
         */
        public MultiLayerNetwork newNetwork(Map<RunName, MultiLayerNetwork> trainedBefore) {
            MultiLayerNetwork network = new MultiLayerNetwork(configuration.clone());
            network.init();
            start.ifPresent(from -> network.setParams(from.parameters(trainedBefore)));
            return network;
        }

        /** This run trained data-parallel over {@code workers} workers. */
        public Run acrossWorkers(int workers) {
            return new Run(name, configuration, training, recorders, start, workers);
        }

        @Serial
        private Object writeReplace() {
            return new Serialized(name, configuration.toJson(), training, recorders, start.orElse(null), workers);
        }

        /** A run as it travels: DL4J's configurations serialize as JSON, not as Java objects. */
        private record Serialized(RunName name, String configuration, TrainingSettings training,
                                  List<Recorder> recorders, Start start, int workers) implements Serializable {

            @Serial
            private Object readResolve() {
                return new Run(name, MultiLayerConfiguration.fromJson(configuration), training, recorders,
                        Optional.ofNullable(start), workers);
            }
        }
    }

    /** The parameters a run starts from, made from networks trained before it (by run name). */
    @FunctionalInterface
    public interface Start extends Serializable {
        INDArray parameters(Map<RunName, MultiLayerNetwork> trainedBefore);
    }

    private final RunFolder out;
    private final Console console;
    private final Object settings;
    private final Consumer<List<History>> charts;
    private final List<TrainingListener> watching;
    private final IntFunction<Fitting> fitting;

    /**
     * Trains each network here, in this process.
     *
     * @param settings the experiment's settings, recorded in summary.json
     * @param charts   writes the experiment's charts for the histories so far
     * @param watching listeners of every run's training, called after the epoch's results and checkpoint are written
     */
    public Runner(RunFolder out, Console console, Object settings, Consumer<List<History>> charts,
                  TrainingListener... watching) {
        this(out, console, settings, charts, hereOnly(console), watching);
    }

    /** @param fitting how a run over so many {@link Run#workers} trains: here, or across Spark workers */
    public Runner(RunFolder out, Console console, Object settings, Consumer<List<History>> charts,
                  IntFunction<Fitting> fitting, TrainingListener... watching) {
        this.out = out;
        this.console = console;
        this.settings = settings;
        this.charts = charts;
        this.fitting = fitting;
        this.watching = List.of(watching);
    }

    /** Training here, which has no workers to split a batch over. */
    public static IntFunction<Fitting> hereOnly(Console console) {
        return workers -> {
            if (workers != 1) {
                throw new BadInputException("a run over " + workers + " workers trains on Spark: give --spark MASTER");
            }
            return Fitting.here(console);
        };
    }

    /** Trains every run, in order, from the start. */
    public Results run(List<Run> runs, TrainTest data) {
        return run(runs, data, null);
    }

    /** As below, for runs that start from no network trained before them. */
    public Results run(List<Run> runs, TrainTest data, Checkpoint.Restored checkpoint) {
        return run(runs, data, checkpoint, Map.of());
    }

    /**
     * Trains {@code runs} from where {@code checkpoint} left them (read from this run folder's
     * {@link #CHECKPOINT} by the caller, before anything was written), or from the start if it is
     * null.
     *
     * @param trainedBefore networks by run name that runs with a {@link Start} start from
     */
    public Results run(List<Run> runs, TrainTest data, Checkpoint.Restored checkpoint,
                       Map<RunName, MultiLayerNetwork> trainedBefore) {
        if (checkpoint == null) {
            return trainFrom(runs, data, List.of(), null, trainedBefore);
        }
        List<History> finished = checkpoint.state().finished();
        for (int i = 0; i < finished.size(); i++) {
            if (i >= runs.size() || !runs.get(i).name().equals(finished.get(i).name())) {
                throw new BadInputException(out.resolve(CHECKPOINT) + ": its finished runs do not match this "
                        + "experiment's runs");
            }
        }
        return trainFrom(runs, data, finished, checkpoint, trainedBefore);
    }

    /** The checkpoint an interrupted run left in {@code runDir}, or null if it left none. */
    public static Checkpoint.Restored checkpointIn(Path runDir) {
        Path file = runDir.resolve(CHECKPOINT);
        return Files.exists(file) ? Checkpoint.read(file) : null;
    }

    private Results trainFrom(List<Run> runs, TrainTest data, List<History> alreadyFinished,
                              Checkpoint.Restored checkpoint, Map<RunName, MultiLayerNetwork> trainedBefore) {
        List<History> finished = new ArrayList<>(alreadyFinished);
        Map<RunName, List<TrainingListener>> recordings = new HashMap<>();
        for (int i = finished.size(); i < runs.size(); i++) {
            Run run = runs.get(i);
            History soFar = History.start(run.name());
            MultiLayerNetwork network;
            History running = checkpoint == null ? null : checkpoint.state().running();
            if (running != null && running.name().equals(run.name())) {
                soFar = running;
                network = checkpoint.network();
                checkpoint.restoreRandomState();
                console.printf("resuming %s after epoch %d%n", run.name(), running.epochs().size());
            } else {
                network = run.newNetwork(trainedBefore);
            }
            CpuTuning.apply(network);
            List<TrainingListener> recording = run.recorders().stream().map(recorder -> recorder.listener(data)).toList();
            recordings.put(run.name(), recording);
            History history = fitting.apply(run.workers()).fit(run.training(), soFar, network, data,
                    (epochHistory, net) -> {
                        writeResults(with(finished, epochHistory));
                        writeCheckpoint(finished, epochHistory, net);
                    }, listeners(run, recording));
            finished.add(history);
            writeResults(finished);
            saveNetwork(run.name().toString(), network);
        }
        deleteCheckpoint();
        return new Results(finished, recordings);
    }

    private TrainingListener[] listeners(Run run, List<TrainingListener> recording) {
        TrainingListener stats = TrainingStats.listener(out.stats(), TrainingStats.sessionId(out.path(), run.name().toString()));
        return Stream.of(recording, watching, List.of(stats)).flatMap(List::stream).toArray(TrainingListener[]::new);
    }

    private void writeResults(List<History> histories) {
        writeResults(out, settings, histories);
        charts.accept(histories);
    }

    /** Writes {@code history.csv}, {@code iterations.csv} and {@code summary.json} of {@code histories} into {@code out}. */
    public static void writeResults(RunFolder out, Object settings, List<History> histories) {
        out.writeString("history.csv", HistoryTables.epochsCsv(histories));
        out.writeString("iterations.csv", HistoryTables.iterationsCsv(histories));
        out.writeJson("summary.json", Summary.of(histories, settings));
    }

    private void writeCheckpoint(List<History> finished, History running, MultiLayerNetwork network) {
        out.write(CHECKPOINT, stream -> Checkpoint.write(stream, finished, running, network));
    }

    private void saveNetwork(String name, MultiLayerNetwork network) {
        out.writeNetwork("models/" + name + ".zip", network);
    }

    private void deleteCheckpoint() {
        try {
            Files.deleteIfExists(out.resolve(CHECKPOINT));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<History> with(List<History> finished, History running) {
        List<History> all = new ArrayList<>(finished);
        all.add(running);
        return all;
    }
}
