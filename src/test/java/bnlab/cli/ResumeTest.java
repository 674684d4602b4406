package bnlab.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
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
        // Killed once mlp's three epochs and mlp_bn's first are written: the child holds there.
        Process child = startHeldAfter(4, killed);
        try {
            awaitHeld(child);
            MainTest.Result whileRunning = bnlab("compare", "--resume", killed.toString());
            assertEquals(2, whileRunning.code(), "a second command on the same folder is refused");
            assertTrue(whileRunning.err().contains("another bnlab command"), whileRunning.err());
        } finally {
            child.destroyForcibly();   // SIGKILL
            child.waitFor();
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

    /** The comparison in a process of its own that holds once {@code epochs} epochs are written. */
    private static Process startHeldAfter(int epochs, Path out) throws IOException {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-cp", System.getProperty("java.class.path"), HeldCompare.class.getName(), String.valueOf(epochs)));
        command.addAll(COMPARISON);
        command.addAll(List.of("--out", out.toString()));
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    /** Reads the child's output until it says it holds; fails if it ends first. */
    private static void awaitHeld(Process child) throws IOException {
        StringBuilder output = new StringBuilder();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(child.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (line.equals(HeldCompare.HELD)) {
                    return;
                }
                output.append(line).append('\n');
            }
        }
        fail("bnlab ended before it was held: " + output);
    }

    private static List<String> withoutSeconds(Path historyCsv) throws IOException {
        return Files.readAllLines(historyCsv).stream().map(l -> l.substring(0, l.lastIndexOf(','))).toList();
    }
}
