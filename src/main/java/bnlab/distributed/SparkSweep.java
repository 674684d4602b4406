package bnlab.distributed;

import bnlab.BadInputException;
import bnlab.Json;
import bnlab.data.TrainTest;
import bnlab.experiment.Plan;
import bnlab.experiment.Results;
import bnlab.experiment.RunTraining;
import bnlab.experiment.Runner;
import bnlab.report.RunFolder;
import bnlab.train.Console;
import bnlab.train.History;
import bnlab.train.RunName;
import org.apache.spark.api.java.JavaFutureAction;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.TrainingListener;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;

/**
 * An experiment's runs trained as Spark tasks, one task per run, as many at once as the cluster
 * has task slots. Each finished run is written to the run folder as it arrives, in the plan's
 * order: its model, history.csv, iterations.csv and summary.json as a run in one process
 * writes them, and {@value #STATE}, the histories of the runs finished so far, from which a
 * resumed sweep trains only the others. For the same seeds the histories are those of a run in
 * one process (a dense network trains on one thread either way). A run whose task fails
 * (after the attempts the master allows) leaves the others to finish, then fails the sweep.
 *
 * <p>Runs carry what they need: the plan's data and the networks runs may start from go to the
 * executors once, as broadcasts.
 */
public final class SparkSweep implements RunTraining {

    static final String STATE = "sweep.json";

    /** What {@value #STATE} holds. */
    record State(List<History> finished) {
    }

    private final JavaSparkContext spark;
    private final RunFolder out;
    private final Console console;

    /** Sweeps on {@code spark}'s cluster into {@code out}, printing each finished run to {@code console}. */
    public SparkSweep(JavaSparkContext spark, RunFolder out, Console console) {
        this.spark = spark;
        this.out = out;
        this.console = console;
    }

    @Override
    public Results train(Plan plan, Map<RunName, MultiLayerNetwork> pretrained) {
        List<Runner.Run> runs = plan.runs();
        if (runs.stream().anyMatch(run -> run.workers() != 1)) {
            throw new IllegalArgumentException("runs across workers train one after the other, each across its "
                    + "workers, not as tasks of a sweep");
        }
        Map<Integer, History> finished = resumed(runs);
        Map<RunName, List<TrainingListener>> recordings = new HashMap<>();
        List<Integer> pending = IntStream.range(0, runs.size()).filter(i -> !finished.containsKey(i)).boxed().toList();
        if (!finished.isEmpty()) {
            console.printf("resuming: %d of %d runs finished before%n", finished.size(), runs.size());
        }
        int cores = spark.getConf().getInt("spark.task.cpus", 1);
        ExecutorService waiting = Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "bnlab-sweep");
            thread.setDaemon(true);
            return thread;
        });
        List<JavaFutureAction<List<TrainedRun>>> jobs = new ArrayList<>();
        Broadcast<TrainTest> data = spark.broadcast(plan.data());
        Broadcast<Map<RunName, byte[]>> trainedBefore = null;
        try {
            trainedBefore = spark.broadcast(zips(pretrained));
            Broadcast<Map<RunName, byte[]>> networks = trainedBefore;
            CompletionService<Arrival> arrivals = new ExecutorCompletionService<>(waiting);
            for (int index : pending) {
                JavaFutureAction<List<TrainedRun>> job = spark.parallelize(List.of(runs.get(index)), 1)
                        .map(run -> TrainedRun.train(run, data.value(), networks.value(), cores))
                        .collectAsync();
                jobs.add(job);
                arrivals.submit(() -> Arrival.of(index, job));
            }
            long start = System.nanoTime();
            List<String> failures = new ArrayList<>();
            for (int arrived = 1; arrived <= pending.size(); arrived++) {
                Arrival arrival = arrivals.take().get();
                Runner.Run run = runs.get(arrival.index());
                if (arrival.failure() != null) {
                    failures.add(run.name() + ": " + arrival.failure());
                    console.printf("%s failed on Spark: %s%n", run.name(), arrival.failure());
                    continue;
                }
                TrainedRun trained = arrival.trained();
                out.write("models/" + run.name() + ".zip", stream -> stream.write(trained.model()));
                finished.put(arrival.index(), trained.history());
                recordings.put(run.name(), trained.recordings());
                List<History> histories = inPlanOrder(finished);
                out.writeJson(STATE, new State(histories));
                Runner.writeResults(out, plan.settings(), histories);
                console.printf("%s done: %d of %d runs%s%n", run.name(), finished.size(), runs.size(),
                        timeLeft(start, arrived, pending.size()));
            }
            if (!failures.isEmpty()) {
                throw new SweepFailedException(failures.size() + " of " + runs.size() + " runs failed on Spark ("
                        + failures.get(0) + "); the " + finished.size() + " finished are kept in " + out.path()
                        + ", and --resume trains the rest");
            }
            return new Results(inPlanOrder(finished), recordings);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for Spark", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } finally {
            // On the way out by an exception, no task keeps running for a sweep that is over.
            jobs.forEach(job -> job.cancel(true));
            waiting.shutdownNow();
            data.destroy();
            if (trainedBefore != null) {
                trainedBefore.destroy();
            }
        }
    }

    /** A run's task, ended: what it trained, or why it failed. */
    private record Arrival(int index, TrainedRun trained, String failure) {

        static Arrival of(int index, JavaFutureAction<List<TrainedRun>> job) throws InterruptedException {
            try {
                return new Arrival(index, job.get().get(0), null);
            } catch (ExecutionException e) {
                Throwable cause = e.getCause() == null ? e : e.getCause();
                return new Arrival(index, null, String.valueOf(cause.getMessage()).lines().findFirst().orElse(""));
            }
        }
    }

    /** The runs that finished before, by their index in {@code runs}, from this folder's {@value #STATE}. */
    private Map<Integer, History> resumed(List<Runner.Run> runs) {
        Path state = out.resolve(STATE);
        Map<Integer, History> finished = new HashMap<>();
        if (!Files.exists(state)) {
            return finished;
        }
        List<RunName> names = runs.stream().map(Runner.Run::name).toList();
        try {
            for (History history : Json.MAPPER.readValue(state.toFile(), State.class).finished()) {
                int index = names.indexOf(history.name());
                if (index < 0) {
                    throw new BadInputException(state + ": run " + history.name() + " is not one of this experiment's");
                }
                finished.put(index, history);
            }
        } catch (IOException e) {
            throw new BadInputException(state + ": not readable (" + e.getMessage() + ")", e);
        }
        return finished;
    }

    private static List<History> inPlanOrder(Map<Integer, History> finished) {
        return finished.keySet().stream().sorted().map(finished::get).toList();
    }

    private static Map<RunName, byte[]> zips(Map<RunName, MultiLayerNetwork> networks) {
        Map<RunName, byte[]> zips = new LinkedHashMap<>();
        networks.forEach((name, network) -> zips.put(name, TrainedRun.zip(network)));
        return zips;
    }

    /** ", about 3 min left", from the pace of the runs so far. */
    private static String timeLeft(long start, int arrived, int total) {
        if (arrived == total) {
            return "";
        }
        Duration left = Duration.ofNanos((System.nanoTime() - start) / arrived * (total - arrived));
        return left.toMinutes() > 0 ? ", about " + left.toMinutes() + " min left"
                : ", about " + left.toSeconds() + " s left";
    }
}
