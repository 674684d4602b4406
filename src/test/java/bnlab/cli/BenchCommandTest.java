package bnlab.cli;

import bnlab.Json;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What bench writes, not how fast anything is: speed is measured by the command, never asserted in tests. */
class BenchCommandTest {

    @TempDir
    Path dir;

    @Test
    void everyVariantIsMeasuredAndWrittenToBenchJson() throws IOException {
        Path out = dir.resolve("bench");

        MainTest.Result result = MainTest.bnlab("bench", "--models", "mlp_bn", "--batch-sizes", "128", "--repeats", "1",
                "--variants", "tuned,stock,stats,gradients,helperless,dl4j_bn,dl4j_updater", "--out", out.toString());

        assertEquals(0, result.code(), result.err());
        JsonNode results = Json.MAPPER.readTree(out.resolve("bench.json").toFile()).get("results");
        List<String> variants = new ArrayList<>();
        for (JsonNode r : results) {
            variants.add(r.get("variant").asText());
            assertTrue(r.get("train_examples_per_second").get("median").asDouble() > 0, r.toString());
            assertTrue(r.get("infer_examples_per_second").get("median").asDouble() > 0, r.toString());
        }
        assertEquals(List.of("tuned", "stock", "stats", "gradients", "helperless", "dl4j_bn", "dl4j_updater"), variants);
        assertTrue(result.out().contains("mlp_bn") && result.out().contains("gradients"), result.out());
    }
}
