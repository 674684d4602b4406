package bnlab.distributed;

import bnlab.TestData;
import bnlab.data.DataSettings;
import bnlab.data.KnownDataset;
import bnlab.experiment.ExperimentSettings;
import bnlab.experiment.Placement;
import bnlab.experiment.Plan;
import bnlab.experiment.RunTraining;
import bnlab.report.RunFolder;
import bnlab.train.Console;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A sweep on a real Spark cluster: a standalone master and worker started from Spark's own
 * classes as separate JVMs on the loopback interface, whose executors are JVMs of their own,
 * so that what has to travel (runs, data, results, classes) travels as on a cluster.
 */
class StandaloneClusterTest {

    private static final String LOGGING = """
            <configuration>
              <appender name="STDERR" class="ch.qos.logback.core.ConsoleAppender">
                <target>System.err</target>
                <encoder><pattern>%-5level %logger{0}: %msg%n</pattern></encoder>
              </appender>
              <logger name="org.apache.spark.deploy" level="INFO"/>
              <root level="WARN"><appender-ref ref="STDERR"/></root>
            </configuration>
            """;

    @TempDir
    Path dir;

    private final List<Process> cluster = new ArrayList<>();

    @AfterEach
    void stopTheCluster() throws InterruptedException {
        for (Process process : cluster) {
            process.destroy();
            process.waitFor();
        }
    }

    @Test
    void aSweepOnAStandaloneClusterOfThisMachineTrainsAsInOneProcess() throws IOException {
        Path home = Files.createDirectories(dir.resolve("spark-home/jars"));
        Files.writeString(dir.resolve("logback.xml"), LOGGING);
        Daemon master = start("org.apache.spark.deploy.master.Master", home.getParent(), "--host", "127.0.0.1",
                "--port", "0", "--webui-port", "0");
        String url = master.await(Pattern.compile("Starting Spark master at (spark://\\S+)"),
                Pattern.compile("elected leader")).group(1);
        Daemon worker = start("org.apache.spark.deploy.worker.Worker", home.getParent(), "--host", "127.0.0.1",
                "--port", "0", "--webui-port", "0", "--cores", "2", "--memory", "2g",
                "--work-dir", dir.resolve("work").toString(), url);
        worker.await(Pattern.compile("Successfully registered with master"));

        ExperimentSettings settings = new Placement().quick().withData(new DataSettings(KnownDataset.MNIST, null, 300))
                .withEpochs(1).withSeeds(1);
        Plan plan = new Placement().plan(settings, TestData.mnist(300, 500));
        Path here = dir.resolve("here");
        try (RunFolder folder = RunFolder.open(here)) {
            RunTraining.here(Console.none(), folder, null).train(plan, Map.of());
        }
        Path onCluster = dir.resolve("cluster");
        try (RunFolder folder = RunFolder.open(onCluster);
             SparkCluster cluster = SparkCluster.start(SparkMaster.parse(url), "test")) {
            SparkSweep sweep = new SparkSweep(cluster.context(), folder, Console.none());
            sweep.train(plan, Map.of());
        }

        List<String[]> expected = rows(here);
        List<String[]> trained = rows(onCluster);
        assertEquals(expected.size(), trained.size());
        for (int i = 0; i < expected.size(); i++) {
            // Model, epoch, training loss and accuracy, validation accuracy: equal. The validation
            // loss, float sums made in another JVM, differed in its seventh digit.
            for (int column : new int[]{0, 1, 2, 3, 5}) {
                assertEquals(expected.get(i)[column], trained.get(i)[column], "row " + i + ", column " + column);
            }
            double validationLoss = Double.parseDouble(expected.get(i)[4]);
            assertEquals(validationLoss, Double.parseDouble(trained.get(i)[4]), 1e-5 * validationLoss);
        }
        for (Daemon daemon : List.of(master, worker)) {
            List<String> sockets = new ArrayList<>(SparkSweepTest.Sockets.listening(String.valueOf(daemon.process().pid())));
            assertFalse(sockets.isEmpty());
            sockets.forEach(socket -> assertTrue(SparkSweepTest.Sockets.isLoopback(socket), "beyond the loopback: " + socket));
        }
    }

    private static List<String[]> rows(Path run) throws IOException {
        return Files.readAllLines(run.resolve("history.csv")).stream().skip(1).map(line -> line.split(",")).toList();
    }

    /** Starts one of Spark's daemons as a JVM of its own, on this test's class path, bound to the loopback. */
    private Daemon start(String mainClass, Path sparkHome, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-Dlogback.configurationFile=" + dir.resolve("logback.xml"), SparkCluster.EXPORT,
                "-cp", System.getProperty("java.class.path"), mainClass));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        builder.environment().put("SPARK_HOME", sparkHome.toString());
        // Spark's launcher builds executors' command lines, and asks for the Scala version of a build.
        builder.environment().put("SPARK_SCALA_VERSION", "2.12");
        Process process = builder.start();
        cluster.add(process);
        return new Daemon(process, new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)));
    }

    /** A daemon process and its output, read up to the lines the test waits for. */
    private record Daemon(Process process, BufferedReader output) {

        /**
         * Reads the daemon's output until lines match {@code lines}, in order; then keeps reading
         * it in the background, so that the daemon never blocks on a full pipe. Returns the first
         * line's match.
         */
        Matcher await(Pattern... lines) throws IOException {
            StringBuilder seen = new StringBuilder();
            Matcher first = null;
            int next = 0;
            for (String read = output.readLine(); read != null; read = output.readLine()) {
                seen.append(read).append('\n');
                Matcher matcher = lines[next].matcher(read);
                if (matcher.find()) {
                    first = first == null ? matcher : first;
                    if (++next == lines.length) {
                        drain();
                        return first;
                    }
                }
            }
            return fail("the daemon ended before printing " + lines[next] + ":\n" + seen);
        }

        private void drain() {
            Thread reader = new Thread(() -> output.lines().forEach(ignored -> {
            }), "drain " + process.pid());
            reader.setDaemon(true);
            reader.start();
        }
    }
}
