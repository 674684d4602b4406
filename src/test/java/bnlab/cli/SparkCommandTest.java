package bnlab.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import bnlab.ui.TrainingStats;
import org.deeplearning4j.ui.model.storage.FileStatsStorage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static bnlab.cli.MainTest.bnlab;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code experiment --spark}: a sweep on Spark from the command line, and what it refuses before writing anything. */
class SparkCommandTest {

    @TempDir
    Path dir;

    @Test
    void anExperimentsRunsTrainAsSparkTasksIntoTheRunFolder() throws IOException {
        Path out = dir.resolve("run");
        MainTest.Result result = bnlab("experiment", "placement", "--quick", "--limit", "300", "--epochs", "1",
                "--seeds", "1", "--spark", "local[2]", "--out", out.toString());
        assertEquals(0, result.code(), result.err());
        assertTrue(result.out().contains(" done: 3 of 3 runs"), result.out());
        assertEquals(4, Files.readAllLines(out.resolve("history.csv")).size());
        assertTrue(Files.readString(out.resolve("settings.json")).contains("\"spark\" : \"local[2]\""));
        assertTrue(Files.exists(out.resolve("findings.md")));

        MainTest.Result resumed = bnlab("experiment", "--resume", out.toString());
        assertEquals(0, resumed.code(), resumed.err());
        assertTrue(resumed.out().startsWith("resuming: 3 of 3 runs finished before"), resumed.out());
    }

    @Test
    void compareTrainsEachModelAcrossWorkersWithParameterAveragingAndShowsItInTheDashboard() throws IOException {
        Path out = dir.resolve("across");
        MainTest.Result result = bnlab("compare", "--models", "mlp_bn", "--limit", "1920", "--epochs", "1",
                "--spark", "local[2]", "--workers", "2", "--ui", "--ui-port", "0", "--out", out.toString());
        assertEquals(0, result.code(), result.err());
        assertTrue(result.out().contains("dashboard: http://127.0.0.1:"), result.out());
        List<String> epochs = Files.readAllLines(out.resolve("history.csv"));
        assertEquals(2, epochs.size());
        String[] record = epochs.get(1).split(",");
        assertTrue(Double.parseDouble(record[5]) > 0.3, "trained far above chance (0.1): " + epochs);
        assertEquals(1920 / 16 + 1, Files.readAllLines(out.resolve("iterations.csv")).size(),
                "every batch of 16 that a worker trained on");
        assertTrue(Files.exists(out.resolve("models/mlp_bn.zip")));
        FileStatsStorage stats = TrainingStats.recordedIn(out);
        try {
            String session = TrainingStats.sessionId(out, "mlp_bn");
            assertEquals(List.of(session), stats.listSessionIDs());
            assertEquals(2, stats.listWorkerIDsForSession(session).size(), "the dashboard's reports of both workers");
            assertTrue(stats.getNumUpdateRecordsFor(session) > 0, "60 batches a worker: a report every " + TrainingStats.REPORTING_FREQUENCY);
        } finally {
            stats.close();
        }
    }

    @Test
    void theDataParallelExperimentTrainsEachNetworkAcrossItsWorkersOnSparkInThisProcess() throws IOException {
        Path out = dir.resolve("data-parallel");
        MainTest.Result result = bnlab("experiment", "data-parallel", "--quick", "--limit", "1280", "--epochs", "1",
                "--seeds", "1", "--out", out.toString());
        assertEquals(0, result.code(), result.err());
        assertTrue(Files.readString(out.resolve("settings.json"))
                .contains("\"spark\" : \"local[" + Runtime.getRuntime().availableProcessors() + "]\""));
        List<String> iterations = Files.readAllLines(out.resolve("iterations.csv"));
        assertEquals(1280 / 64, iterations.stream().filter(line -> line.startsWith("mlp_bn_w1-s1,")).count(),
                "one machine: every batch of 64");
        assertEquals(1280 / 16, iterations.stream().filter(line -> line.startsWith("mlp_bn_w4-s1,")).count(),
                "every batch of 16 that one of 4 workers trained on");
        JsonNode verdicts = new ObjectMapper().readTree(out.resolve("findings.json").toFile()).path("verdicts");
        assertEquals(4, verdicts.size(), verdicts.toString());
        assertTrue(Files.readString(out.resolve("findings.md")).contains("| mlp_bn_w4 | 20 |"),
                "each worker updated BN's running statistics once per batch of its own, 20 times");
    }

    @Test
    void badMastersAndOptionsAreOneLineAndWriteNothing() {
        Path out = dir.resolve("run");
        assertRefused(bnlab("experiment", "placement", "--spark", "mesos://host:5050", "--out", out.toString()),
                "--spark mesos://host:5050: not a Spark master URL bnlab can use");
        assertRefused(bnlab("experiment", "placement", "--spark", "spark://127.0.0.1:1", "--out", out.toString()),
                "no Spark master answers at 127.0.0.1:1");
        assertRefused(bnlab("experiment", "placement", "--spark", "local[2]", "--ui", "--out", out.toString()),
                "--ui shows training in this process");
        assertRefused(bnlab("compare", "--workers", "2", "--out", out.toString()), "--spark and --workers go together");
        assertRefused(bnlab("compare", "--spark", "local[2]", "--workers", "3", "--out", out.toString()),
                "--batch-size 32 does not split over --workers 3");
        assertRefused(bnlab("compare", "--spark", "local[2]", "--workers", "0", "--out", out.toString()),
                "--workers");
        assertRefused(bnlab("experiment", "data-parallel", "--quick", "--batch-size", "30", "--out", out.toString()),
                "a batch of 30 does not split over 4 workers");
        assertFalse(Files.exists(out));
    }

    /** In a JVM of its own, started without the option Spark needs on Java 17 (the tests' own JVM has it). */
    @Test
    void aJvmWithoutSparksJavaOptionIsToldSo() throws IOException, InterruptedException {
        Path out = dir.resolve("run");
        Process child = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "experiment", "placement", "--quick", "--spark", "local[2]", "--out", out.toString())
                .redirectErrorStream(true).start();
        String output = new String(child.getInputStream().readAllBytes());
        assertEquals(2, child.waitFor(), output);
        assertTrue(output.contains("--spark: this JVM was started without --add-exports=java.base/sun.nio.ch=ALL-UNNAMED"),
                output);
        assertFalse(Files.exists(out));
    }

    private static void assertRefused(MainTest.Result result, String expected) {
        assertEquals(2, result.code(), result.err());
        assertTrue(result.err().contains(expected), result.err());
        assertEquals(1, result.err().strip().lines().count(), result.err());
    }
}
