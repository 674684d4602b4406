package bnlab.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static bnlab.cli.MainTest.bnlab;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bad input of every kind: a one-line message naming the problem, exit code 2, nothing written. */
class BadInputTest {

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} {1} {2}")
    @CsvSource({
            "compare, --epochs, 0", "compare, --epochs, -3", "compare, --epochs, ten",
            "compare, --batch-size, 0", "compare, --batch-size, -1",
            "compare, --limit, 0", "compare, --limit, -100",
            "compare, --seed, x",
            "compare, --models, resnet", "compare, --dataset, cifar",
            "experiment placement, --seeds, 0", "experiment placement, --epochs, -1",
            "experiment placement, --batch-size, 0", "experiment placement, --limit, 0",
            "verify, --epochs, 0", "verify, --model, resnet",
            "bench, --repeats, 0", "bench, --batch-sizes, 0", "bench, --variants, turbo",
            "advise mlp_bn, --batch-size, 0"})
    void invalidOptionValues(String command, String option, String value) {
        List<String> args = new ArrayList<>(List.of(command.split(" ")));
        args.addAll(List.of(option, value, "--out", dir.resolve("never").toString()));
        if (command.startsWith("advise")) {
            args.removeAll(List.of("--out", dir.resolve("never").toString()));
        }
        MainTest.Result result = bnlab(args.toArray(String[]::new));
        assertEquals(2, result.code(), result.err());
        assertTrue(result.err().contains(option), result.err());
        assertTrue(result.err().contains(value), result.err());
        assertEquals(1, result.err().strip().lines().count(), "one line: " + result.err());
        assertTrue(Files.notExists(dir.resolve("never")), "nothing written");
    }

    @Test
    void unknownExperiment() {
        MainTest.Result result = bnlab("experiment", "alchemy", "--out", dir.resolve("never").toString());
        assertEquals(2, result.code());
        assertTrue(result.err().contains("alchemy") && result.err().contains("placement"), result.err());
    }

    @Test
    void outputFolderThatCannotBeWritten() {
        Path readOnly = Path.of("/proc/bnlab-out");
        MainTest.Result result = bnlab("--limit", "100", "--epochs", "1", "--out", readOnly.toString());
        assertEquals(2, result.code(), result.err());
        assertTrue(result.err().contains(readOnly + ": cannot create the output folder"), result.err());
    }

    /** Bad data named with --out on an earlier run's folder leaves that run's files as they were. */
    @Test
    void badInputLeavesAnEarlierRunAlone() throws IOException {
        Path earlier = Files.createDirectory(dir.resolve("earlier"));
        Files.writeString(earlier.resolve("history.csv"), "model,epoch\nmlp,1\n");
        Files.writeString(earlier.resolve("status.json"), "{\"status\":\"done\"}");
        MainTest.Result result = bnlab("--data-dir", dir.resolve("nothing").toString(), "--out", earlier.toString());
        assertEquals(2, result.code());
        assertEquals("model,epoch\nmlp,1\n", Files.readString(earlier.resolve("history.csv")));
        assertEquals("{\"status\":\"done\"}", Files.readString(earlier.resolve("status.json")));
        try (var files = Files.list(earlier)) {
            assertEquals(2, files.count(), "no other file appeared");
        }
    }

    /** A heap too small for MNIST: one clear line and exit code 3, in a JVM of its own. */
    @Test
    void outOfMemoryIsReportedClearly() throws Exception {
        Process child = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-Xmx48m",
                "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "compare", "--limit", "100", "--epochs", "1", "--out", dir.resolve("run").toString())
                .redirectErrorStream(true).start();
        String output = new String(child.getInputStream().readAllBytes());
        assertEquals(3, child.waitFor(), output);
        assertTrue(output.contains("bnlab: out of memory") && output.contains("raise -Xmx in .mvn/jvm.config"), output);
    }
}
