package bnlab.report;

import bnlab.BadInputException;
import bnlab.train.Status;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RunFolderTest {

    @TempDir
    Path dir;

    @Test
    void aFailedWriteLeavesThePreviousVersionWhole() throws IOException {
        try (RunFolder folder = RunFolder.open(dir)) {
            folder.writeString("results.csv", "a,b\n1,2\n");
            assertThrows(RuntimeException.class, () -> folder.write("results.csv", out -> {
                out.write("a,b\n".getBytes());
                throw new IOException("disk full");
            }));
            assertEquals("a,b\n1,2\n", Files.readString(dir.resolve("results.csv")));
            try (var files = Files.list(dir)) {
                assertTrue(files.noneMatch(f -> f.toString().endsWith(".tmp")));
            }
        }
    }

    @Test
    void oneCommandAtATime() {
        try (RunFolder first = RunFolder.open(dir)) {
            BadInputException e = assertThrows(BadInputException.class, () -> RunFolder.open(dir));
            assertTrue(e.getMessage().contains("another bnlab command is writing to this folder"), e.getMessage());
        }
        RunFolder.open(dir).close();
    }

    @Test
    void statusAndSettingsAreRecorded() throws IOException {
        try (RunFolder folder = RunFolder.open(dir)) {
            folder.start("compare", Map.of("epochs", 3));
            assertEquals("running", json("status.json").path("status").asText());
            folder.finish(Status.DIVERGED, "score NaN");
        }
        JsonNode status = json("status.json");
        assertEquals("diverged", status.path("status").asText());
        assertEquals("score NaN", status.path("message").asText());
        assertEquals("compare", status.path("command").asText());
        assertEquals(3, json("settings.json").path("settings").path("epochs").asInt());
        assertTrue(json("settings.json").path("versions").has("deeplearning4j"));
    }

    @Test
    void refusesAFileOrAFolderThatCannotBeCreated() throws IOException {
        Path file = Files.writeString(dir.resolve("file"), "kept");
        BadInputException isFile = assertThrows(BadInputException.class, () -> RunFolder.open(file));
        assertTrue(isFile.getMessage().endsWith("output folder is a file"), isFile.getMessage());
        BadInputException underFile = assertThrows(BadInputException.class, () -> RunFolder.open(file.resolve("run")));
        assertTrue(underFile.getMessage().contains("cannot create the output folder"), underFile.getMessage());
        assertEquals("kept", Files.readString(file));
    }

    private JsonNode json(String name) throws IOException {
        return new ObjectMapper().readTree(dir.resolve(name).toFile());
    }
}
