package bnlab.distributed;

import bnlab.TestData;
import bnlab.data.DataSettings;
import bnlab.data.KnownDataset;
import bnlab.data.TrainTest;
import bnlab.experiment.ExperimentSettings;
import bnlab.experiment.Placement;
import bnlab.experiment.Plan;
import bnlab.experiment.Recorder;
import bnlab.experiment.RunTraining;
import bnlab.experiment.Runner;
import bnlab.report.RunFolder;
import bnlab.train.Console;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Serializable;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** An experiment's runs as Spark tasks in local mode: the same results as in one process, on the loopback only. */
class SparkSweepTest {

    private static final ExperimentSettings SETTINGS = new Placement().quick()
            .withData(new DataSettings(KnownDataset.MNIST, null, 600)).withEpochs(2).withSeeds(1);
    private static final TrainTest DATA = TestData.mnist(600, 1000);

    @TempDir
    Path dir;

    @Test
    void theSweepWritesWhatARunInOneProcessWrites() throws IOException {
        Plan plan = new Placement().plan(SETTINGS, DATA);
        Path here = dir.resolve("here");
        try (RunFolder folder = RunFolder.open(here)) {
            RunTraining.here(Console.none(), folder, null).train(plan, Map.of());
        }
        Path spark = dir.resolve("spark");
        Set<String> before = Sockets.listening();
        try (RunFolder folder = RunFolder.open(spark);
             SparkCluster cluster = SparkCluster.start(SparkMaster.parse("local[2]"), "test")) {
            SparkSweep sweep = new SparkSweep(cluster.context(), folder, Console.none());
            Set<String> opened = new HashSet<>(Sockets.listening());
            opened.removeAll(before);
            assertFalse(opened.isEmpty(), "Spark listens for its block manager");
            opened.forEach(socket -> assertTrue(Sockets.isLoopback(socket), "listens beyond the loopback: " + socket));
            sweep.train(plan, Map.of());
        }
        assertEquals(withoutSeconds(here), withoutSeconds(spark));
        for (Runner.Run run : plan.runs()) {
            assertTrue(Files.exists(spark.resolve("models/" + run.name() + ".zip")), run.name().toString());
        }
    }

    @Test
    void aTaskThatFailsOnceIsRetriedWhereTheMasterAllowsIt() throws IOException {
        Plan plan = withFailingRun(new Placement().plan(SETTINGS, DATA));
        FailOnce.FAILURES.set(1);
        try (RunFolder folder = RunFolder.open(dir);
             SparkCluster cluster = SparkCluster.start(SparkMaster.parse("local[2,2]"), "test")) {
            SparkSweep sweep = new SparkSweep(cluster.context(), folder, Console.none());
            assertEquals(plan.runs().size(), sweep.train(plan, Map.of()).histories().size());
        }
        assertEquals(0, FailOnce.FAILURES.get());
        assertEquals(plan.runs().size() * SETTINGS.epochs() + 1, Files.readAllLines(dir.resolve("history.csv")).size());
    }

    @Test
    void aFailedRunFailsTheSweepKeepsTheOthersAndResumeTrainsOnlyIt() throws IOException {
        Plan plan = withFailingRun(new Placement().plan(SETTINGS, DATA));
        Runner.Run failing = plan.runs().get(1);
        FailOnce.FAILURES.set(1);
        try (RunFolder folder = RunFolder.open(dir);
             SparkCluster cluster = SparkCluster.start(SparkMaster.parse("local[2]"), "test")) {
            SparkSweep sweep = new SparkSweep(cluster.context(), folder, Console.none());
            SweepFailedException e = assertThrows(SweepFailedException.class, () -> sweep.train(plan, Map.of()));
            assertTrue(e.getMessage().startsWith("1 of 3 runs failed on Spark (" + failing.name() + ": "), e.getMessage());
        }
        assertFalse(Files.exists(dir.resolve("models/" + failing.name() + ".zip")));
        assertEquals(2 * SETTINGS.epochs() + 1, Files.readAllLines(dir.resolve("history.csv")).size());

        StringWriter printed = new StringWriter();
        try (RunFolder folder = RunFolder.open(dir);
             SparkCluster cluster = SparkCluster.start(SparkMaster.parse("local[2]"), "test")) {
            SparkSweep sweep = new SparkSweep(cluster.context(), folder,
                    new Console(new PrintWriter(printed, true), false));
            assertEquals(3, sweep.train(plan, Map.of()).histories().size());
        }
        assertTrue(printed.toString().startsWith("resuming: 2 of 3 runs finished before"), printed.toString());
        assertTrue(printed.toString().contains(failing.name() + " done: 3 of 3 runs"), printed.toString());
        List<String> models = Files.readAllLines(dir.resolve("history.csv")).stream().skip(1)
                .map(line -> line.substring(0, line.indexOf(','))).distinct().toList();
        assertEquals(plan.runs().stream().map(run -> run.name().toString()).toList(), models, "in the plan's order");
    }

    /** The plan with its second run failing its task while {@link FailOnce#FAILURES} are left. */
    private static Plan withFailingRun(Plan plan) {
        List<Runner.Run> runs = new ArrayList<>(plan.runs());
        Runner.Run second = runs.get(1);
        runs.set(1, new Runner.Run(second.name(), second.configuration(), second.training(), List.of(new FailOnce())));
        return new Plan(plan.settings(), plan.data(), runs);
    }

    private static List<String> withoutSeconds(Path run) throws IOException {
        return Files.readAllLines(run.resolve("history.csv")).stream()
                .map(line -> line.substring(0, line.lastIndexOf(','))).toList();
    }

    /**
     * Fails the task of its run at the end of the first epoch while failures are left: in local
     * mode the executors are this JVM's threads, so the test sets how many.
     */
    record FailOnce() implements Recorder {

        static final AtomicInteger FAILURES = new AtomicInteger();

        @Override
        public TrainingListener listener(TrainTest data) {
            return new Failing();
        }

        static final class Failing extends BaseTrainingListener implements Serializable {
            @Override
            public void onEpochEnd(Model model) {
                if (FAILURES.getAndUpdate(left -> Math.max(0, left - 1)) > 0) {
                    throw new IllegalStateException("the worker was lost");
                }
            }
        }
    }

    /** A process's listening TCP sockets, from /proc: each as its hexadecimal local address, "0100007F:1F90". */
    static final class Sockets {

        static Set<String> listening() throws IOException {
            return listening("self");
        }

        static Set<String> listening(String process) throws IOException {
            Set<String> inodes = new HashSet<>();
            try (Stream<Path> fds = Files.list(Path.of("/proc", process, "fd"))) {
                for (Path fd : fds.toList()) {
                    try {
                        String target = Files.readSymbolicLink(fd).toString();
                        if (target.startsWith("socket:[")) {
                            inodes.add(target.substring(8, target.length() - 1));
                        }
                    } catch (IOException closedMeanwhile) {
                        // A descriptor that closed while listed is not listening.
                    }
                }
            }
            Set<String> listening = new HashSet<>();
            for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
                List<String> lines = Files.readAllLines(Path.of(table));
                for (String line : lines.subList(1, lines.size())) {
                    String[] fields = line.trim().split("\\s+");
                    if (fields[3].equals("0A") && inodes.contains(fields[9])) {
                        listening.add(fields[1]);
                    }
                }
            }
            return listening;
        }

        /** 127.x.x.x (little-endian in /proc), ::1, or 127.x.x.x mapped into IPv6. */
        static boolean isLoopback(String socket) {
            String address = socket.substring(0, socket.indexOf(':'));
            return address.length() == 8 ? address.endsWith("7F")
                    : address.equals("00000000000000000000000001000000")
                    || address.startsWith("0000000000000000FFFF0000") && address.endsWith("7F");
        }
    }
}
