package bnlab.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static bnlab.cli.MainTest.bnlab;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** A comparison killed with SIGKILL part-way and resumed ends as if it had never stopped. */
class ResumeTest {

    static final List<String> COMPARISON = List.of("compare", "--models", "mlp,mlp_bn", "--limit", "2000",
            "--epochs", "3", "--seed", "7");

    @TempDir
    Path dir;

    @Test
    void killedAndResumedRunMatchesAnUninterruptedOne() throws Exception {
        Path killed = dir.resolve("killed");
        Process child = startBnlab(killed);
        try {
            awaitLine(killed.resolve("history.csv"), "mlp_bn,1,", child);
            MainTest.Result whileRunning = bnlab("compare", "--resume", killed.toString());
            assertEquals(2, whileRunning.code(), "a second command on the same folder is refused");
            assertTrue(whileRunning.err().contains("another bnlab command"), whileRunning.err());
        } finally {
            child.destroyForcibly();   // SIGKILL
            child.waitFor(30, TimeUnit.SECONDS);
        }
        assertEquals("running", new ObjectMapper().readTree(killed.resolve("status.json").toFile())
                .path("status").asText(), "a killed run is left marked running");
        assertTrue(Files.exists(killed.resolve("checkpoint.zip")));

        MainTest.Result resumed = bnlab("compare", "--resume", killed.toString());
        assertEquals(0, resumed.code(), resumed.err());
        assertTrue(resumed.out().contains("resuming mlp_bn after epoch"), resumed.out());

        Path whole = dir.resolve("whole");
        List<String> args = new ArrayList<>(COMPARISON);
        args.addAll(List.of("--out", whole.toString()));
        assertEquals(0, bnlab(args.toArray(String[]::new)).code());

        assertEquals(withoutSeconds(whole.resolve("history.csv")), withoutSeconds(killed.resolve("history.csv")));
        assertEquals(Files.readAllLines(whole.resolve("iterations.csv")),
                Files.readAllLines(killed.resolve("iterations.csv")));
        assertEquals("done", new ObjectMapper().readTree(killed.resolve("status.json").toFile())
                .path("status").asText());
    }

    @Test
    void resumeTakesNoOtherSettings() {
        MainTest.Result result = bnlab("compare", "--resume", dir.toString(), "--epochs", "5");
        assertEquals(2, result.code());
        assertTrue(result.err().contains("it takes no --epochs"), result.err());
    }

    @Test
    void aDamagedCheckpointIsBadInput() throws IOException {
        Path run = dir.resolve("run");
        assertEquals(0, bnlab("compare", "--models", "mlp", "--limit", "200", "--epochs", "1", "--out",
                run.toString()).code());
        Files.writeString(run.resolve("checkpoint.zip"), "not a zip");
        String status = Files.readString(run.resolve("status.json"));
        MainTest.Result result = bnlab("compare", "--resume", run.toString());
        assertEquals(2, result.code());
        assertTrue(result.err().contains(run.resolve("checkpoint.zip") + ": damaged checkpoint"), result.err());
        assertEquals(status, Files.readString(run.resolve("status.json")), "the earlier run's status is left alone");
    }

    @Test
    void resumeNeedsAnEarlierRun() {
        MainTest.Result result = bnlab("compare", "--resume", dir.toString());
        assertEquals(2, result.code());
        assertTrue(result.err().contains("settings.json: not found"), result.err());
    }

    private static Process startBnlab(Path out) throws IOException {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(COMPARISON);
        command.addAll(List.of("--out", out.toString()));
        return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(out.resolveSibling("child.log").toFile()).start();
    }

    private static void awaitLine(Path file, String prefix, Process child) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (System.nanoTime() < deadline) {
            if (Files.exists(file) && Files.readAllLines(file).stream().anyMatch(l -> l.startsWith(prefix))) {
                return;
            }
            if (!child.isAlive()) {
                fail("bnlab ended before writing '" + prefix + "': " + Files.readString(file.getParent().resolveSibling("child.log")));
            }
            Thread.sleep(50);
        }
        fail("no line '" + prefix + "' in " + file + " within 3 minutes");
    }

    private static List<String> withoutSeconds(Path historyCsv) throws IOException {
        return Files.readAllLines(historyCsv).stream().map(l -> l.substring(0, l.lastIndexOf(','))).toList();
    }
}
