package bnlab.cli;

import bnlab.Json;
import bnlab.TestData;
import bnlab.cli.MainTest.Result;
import bnlab.data.BatchIterator;
import bnlab.data.InputShape;
import bnlab.model.BnParameters;
import bnlab.model.BuiltInModel;
import bnlab.model.ModelFiles;
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
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InferCommandsTest {

    @TempDir
    Path dir;

    @Test
    void foldWritesTheFoldedNetworkAndHowItCompares() throws IOException {
        Path model = trainedBriefly(BuiltInModel.MLP_BN);
        Path out = dir.resolve("fold");

        Result result = bnlab("fold", model.toString(), "--repeats", "1", "--out", out.toString());

        assertEquals(0, result.code(), result.err());
        assertTrue(result.out().contains("BN layer 1 folded into layer 0, with the activation of layer 2"), result.out());
        JsonNode report = Json.MAPPER.readTree(out.resolve("fold.json").toFile());
        assertTrue(report.get("max_abs_difference").asDouble() < 1e-5, report.toString());
        assertEquals(0, report.get("predictions_changed").asLong(), report.toString());
        assertEquals(10_000, report.get("test_examples").asInt());
        assertEquals(report.get("params_before").asLong() - 4 * (128 + 64 + 32), report.get("params_after").asLong());
        MultiLayerNetwork folded = ModelFiles.load(out.resolve("folded.zip"));
        assertEquals(4, folded.getnLayers());
        assertEquals("done", Json.MAPPER.readTree(out.resolve("status.json").toFile()).get("status").asText());
    }

    @Test
    void aModelThatCannotBeFoldedIsExitCode2BeforeAnyFileIsWritten() throws IOException {
        Path model = untrained(BuiltInModel.MLP_BN_AFTER);
        Path out = dir.resolve("fold");

        Result result = bnlab("fold", model.toString(), "--out", out.toString());

        assertEquals(2, result.code(), result.err());
        assertTrue(result.err().startsWith("fold: " + model + ": layer 1 (BatchNormalization) follows layer 0's relu"),
                result.err());
        assertEquals(1, result.err().strip().lines().count(), result.err());
        assertFalse(Files.exists(out));
    }

    @Test
    void preciseBnWritesTheUpdatedNetworkAndValidationBeforeAndAfter() throws IOException {
        Path model = trainedBriefly(BuiltInModel.MLP_BN);
        Path out = dir.resolve("precise");

        Result result = bnlab("precise-bn", model.toString(), "--batches", "5", "--batch-size", "100",
                "--out", out.toString());

        assertEquals(0, result.code(), result.err());
        assertTrue(result.out().contains("precise statistics from 500 training examples in 5 batches"), result.out());
        JsonNode report = Json.MAPPER.readTree(out.resolve("precise-bn.json").toFile());
        for (String version : new String[]{"before", "after"}) {
            assertTrue(report.get(version).get("accuracy").asDouble() > 0.5, report.toString());
        }
        assertEquals(3, report.get("recomputed").get("layers").size(), report.toString());
        MultiLayerNetwork original = ModelFiles.load(model);
        MultiLayerNetwork updated = ModelFiles.load(out.resolve("precise-bn.zip"));
        assertNotEquals(BnParameters.runningMean(original.getLayer(1)), BnParameters.runningMean(updated.getLayer(1)));
        assertEquals(original.getLayer(0).params(), updated.getLayer(0).params());
    }

    @Test
    void preciseBnOfANetworkWithoutBnIsExitCode2BeforeAnyFileIsWritten() throws IOException {
        Path model = untrained(BuiltInModel.MLP);
        Path out = dir.resolve("precise");

        Result result = bnlab("precise-bn", model.toString(), "--out", out.toString());

        assertEquals(2, result.code(), result.err());
        assertTrue(result.err().contains(model + ": the network has no BatchNormalization layer"), result.err());
        assertFalse(Files.exists(out));
    }

    private Path trainedBriefly(BuiltInModel model) throws IOException {
        MultiLayerNetwork network = new MultiLayerNetwork(model.configuration(9));
        network.init();
        network.fit(BatchIterator.shuffled(TestData.mnist().limitTrain(1000).train(), 32, InputShape.FLAT, 9));
        return save(network, model);
    }

    private Path untrained(BuiltInModel model) throws IOException {
        MultiLayerNetwork network = new MultiLayerNetwork(model.configuration(9));
        network.init();
        return save(network, model);
    }

    private Path save(MultiLayerNetwork network, BuiltInModel model) throws IOException {
        Path zip = dir.resolve(model + ".zip");
        ModelSerializer.writeModel(network, zip.toFile(), false);
        return zip;
    }
}
