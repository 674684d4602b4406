package bnlab.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static bnlab.cli.MainTest.bnlab;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** 'docs' checks the committed docs against the findings, and refuses what it cannot use. */
class DocsCommandTest {

    @TempDir
    Path dir;

    @Test
    void theCommittedDocsPassTheCheck() {
        MainTest.Result result = bnlab("docs", "--check");
        assertEquals(0, result.code(), result.out() + result.err());
    }

    @Test
    void aFolderWithoutFindingsIsBadInputAndNothingIsWritten() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        String experiments = Files.readString(Path.of("docs", "EXPERIMENTS.md"));
        MainTest.Result result = bnlab("docs", dir.toString());
        assertEquals(2, result.code());
        assertTrue(result.err().contains(dir.resolve("findings.json") + ": not found"), result.err());
        assertEquals(readme, Files.readString(Path.of("README.md")));
        assertEquals(experiments, Files.readString(Path.of("docs", "EXPERIMENTS.md")));

        MainTest.Result noDocs = bnlab("docs", "--check", "--docs", dir.resolve("none").toString());
        assertEquals(2, noDocs.code());
        assertTrue(noDocs.err().contains("none: not a folder"), noDocs.err());
    }
}
