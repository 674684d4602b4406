package bnlab.cli;

import bnlab.Json;
import bnlab.cli.MainTest.Result;
import bnlab.model.BuiltInModel;
import com.fasterxml.jackson.databind.JsonNode;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static bnlab.cli.MainTest.bnlab;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AdviseCommandTest {

    @TempDir
    Path dir;

    @Test
    void cleanModelExitsWith0() {
        Result result = bnlab("advise", "mlp_bn");
        assertEquals(0, result.code(), result.err());
        assertEquals("mlp_bn: no findings in 10 layers.\n", result.out());
    }

    @Test
    void findingsExitWith1AndSayWhereWhatWhyAndHow() {
        Result result = bnlab("advise", "mlp_bn_after");
        assertEquals(1, result.code(), result.err());
        for (String text : new String[]{"3 findings", "layer 1 \"layer1\" (BatchNormalization): bn-after-activation",
                "problem:", "why:", "fix:"}) {
            assertTrue(result.out().contains(text), text + " missing from " + result.out());
        }
        Result smallBatch = bnlab("advise", "cnn_bn", "--batch-size", "4");
        assertEquals(1, smallBatch.code(), smallBatch.err());
        assertTrue(smallBatch.out().contains("small-batch"), smallBatch.out());
    }

    @Test
    void readsModelZipsAndConfigurationJson() throws IOException {
        MultiLayerNetwork network = new MultiLayerNetwork(BuiltInModel.CNN_BN.configuration(1));
        network.init();
        Path zip = dir.resolve("cnn_bn.zip");
        ModelSerializer.writeModel(network, zip.toFile(), false);
        assertEquals(0, bnlab("advise", zip.toString()).code());

        Path json = Files.writeString(dir.resolve("after.json"), BuiltInModel.MLP_BN_AFTER.configuration(1).toJson());
        assertEquals(1, bnlab("advise", json.toString()).code());
    }

    @Test
    void badInputExitsWith2OnOneLine() throws IOException {
        Path notAModel = Files.writeString(dir.resolve("notes.json"), "{\"name\": \"x\"}");
        for (Result result : new Result[]{bnlab("advise", notAModel.toString()),
                bnlab("advise", dir.resolve("missing.zip").toString()),
                bnlab("advise", "mlp_bn", "--batch-size", "0"),
                bnlab("advise")}) {
            assertEquals(2, result.code(), result.err());
            assertEquals(1, result.err().strip().lines().count(), result.err());
        }
    }

    @Test
    void jsonForTools() throws IOException {
        Result result = bnlab("advise", "mlp_bn_after", "--json", "--batch-size", "32");
        assertEquals(1, result.code(), result.err());
        JsonNode advice = Json.MAPPER.readTree(result.out());
        assertEquals("mlp_bn_after", advice.get("model").asText());
        assertEquals(32, advice.get("batch_size").asInt());
        assertEquals(3, advice.get("findings").size());
        JsonNode first = advice.get("findings").get(0);
        assertEquals(1, first.get("layer").asInt());
        assertEquals("BatchNormalization", first.get("type").asText());
        assertEquals("bn-after-activation", first.get("rule").asText());
        for (String field : new String[]{"name", "problem", "why", "fix"}) {
            assertTrue(first.hasNonNull(field), field + " missing from " + first);
        }

        Result clean = bnlab("advise", "cnn", "--json");
        assertEquals(0, clean.code(), clean.err());
        assertTrue(Json.MAPPER.readTree(clean.out()).get("findings").isEmpty(), clean.out());
    }
}
