package bnlab.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MainTest {

    @TempDir
    Path dir;

    record Result(int code, String out, String err) {
    }

    static Result bnlab(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void helpListsTheCommandsAndOptions() {
        Result top = bnlab("--help");
        assertEquals(0, top.code());
        assertTrue(top.out().contains("compare"), top.out());
        Result compare = bnlab("compare", "--help");
        assertEquals(0, compare.code());
        for (String option : new String[]{"--epochs", "--batch-size", "--limit", "--seed", "--out", "--dataset",
                "--data-dir", "--models"}) {
            assertTrue(compare.out().contains(option), option + " missing from " + compare.out());
        }
        assertTrue(compare.out().contains("mlp_bn"), "model names are listed: " + compare.out());
    }

    @Test
    void invalidValuesAreOneLineErrorsWithExitCode2() {
        assertBadUsage(bnlab("--epochs", "0"), "--epochs", "must be at least 1, was 0");
        assertBadUsage(bnlab("compare", "--batch-size", "-5"), "--batch-size", "must be at least 1, was -5");
        assertBadUsage(bnlab("--limit", "many"), "--limit", "'many' is not a whole number");
        assertBadUsage(bnlab("--models", "mlp,resnet"), "--models", "resnet");
        assertBadUsage(bnlab("--dataset", "cifar"), "--dataset", "cifar");
        assertBadUsage(bnlab("frobnicate"), "frobnicate", "");
    }

    @Test
    void outputFolderThatIsAFile() throws IOException {
        Path file = Files.writeString(dir.resolve("taken"), "x");
        Result result = bnlab("--limit", "100", "--epochs", "1", "--out", file.toString());
        assertEquals(2, result.code(), result.err());
        assertTrue(result.err().contains("output folder is a file"), result.err());
        assertEquals("x", Files.readString(file));
    }

    @Test
    void missingDataIsExitCode2NamingTheFile() {
        Result result = bnlab("--data-dir", dir.toString(), "--epochs", "1", "--out", dir.resolve("out").toString());
        assertEquals(2, result.code());
        assertTrue(result.err().contains(dir.resolve("train-images-idx3-ubyte.gz") + ": file not found"), result.err());
        assertEquals(1, result.err().strip().lines().count(), result.err());
    }

    @Test
    void runWritesItsResultsToOut() {
        Path out = dir.resolve("run");
        Result result = bnlab("compare", "--models", "mlp_bn", "--limit", "1000", "--epochs", "1", "--out", out.toString());
        assertEquals(0, result.code(), result.err());
        assertTrue(result.out().contains("mlp_bn   epoch  1/1"), result.out());
        assertTrue(result.out().contains("val_accuracy"), result.out());
        for (String file : new String[]{"history.csv", "iterations.csv", "summary.json", "comparison.png"}) {
            assertTrue(Files.isRegularFile(out.resolve(file)), file);
        }
    }

    private static void assertBadUsage(Result result, String... expected) {
        assertEquals(2, result.code(), result.err());
        for (String text : expected) {
            assertTrue(result.err().contains(text), "'" + text + "' missing from: " + result.err());
        }
        assertEquals(1, result.err().strip().lines().count(), "one line: " + result.err());
    }
}
