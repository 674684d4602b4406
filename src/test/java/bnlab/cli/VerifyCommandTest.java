package bnlab.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static bnlab.cli.MainTest.bnlab;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VerifyCommandTest {

    @TempDir
    Path dir;

    /**
     * 63 steps are too few for running averages with decay 0.99 (they still hold 0.99^63 = 53% of
     * their initial values): those checks fail, the command says so and exits with 1; verifying
     * the saved model again gives the same verdicts.
     */
    @Test
    void tooShortATrainingFailsTheRunningStatisticsChecks() throws IOException {
        Path run = dir.resolve("run");
        MainTest.Result result = bnlab("verify", "--limit", "2000", "--epochs", "1", "--out", run.toString());
        assertEquals(1, result.code(), result.err());
        JsonNode verify = json(run.resolve("verify.json"));
        assertFalse(verify.path("passed").asBoolean());
        assertEquals("failed", json(run.resolve("status.json")).path("status").asText());
        assertTrue(result.out().contains("running variance, layer 1"), result.out());
        String markdown = Files.readString(run.resolve("verify.md"));
        assertTrue(markdown.contains("| inference ignores the batch |") && markdown.contains("| pass |"), markdown);
        assertTrue(markdown.contains("FAIL"), markdown);

        Path again = dir.resolve("again");
        MainTest.Result fromFile = bnlab("verify", "--model-file", run.resolve("models/mlp_bn.zip").toString(),
                "--limit", "2000", "--out", again.toString());
        assertEquals(1, fromFile.code(), fromFile.err());
        assertEquals(verdicts(verify), verdicts(json(again.resolve("verify.json"))));
    }

    @Test
    void onlyBnModelsCanBeVerified() {
        MainTest.Result result = bnlab("verify", "--model", "mlp", "--out", dir.resolve("x").toString());
        assertEquals(2, result.code());
        assertTrue(result.err().contains("--model must be mlp_bn or cnn_bn"), result.err());
    }

    @Test
    void aModelFileThatIsNotAModel() throws IOException {
        Path file = Files.writeString(dir.resolve("model.zip"), "not a zip");
        MainTest.Result result = bnlab("verify", "--model-file", file.toString(), "--out", dir.resolve("x").toString());
        assertEquals(2, result.code());
        assertTrue(result.err().contains(file + ": not a zip file"), result.err());
        assertFalse(Files.exists(dir.resolve("x")), "nothing written for bad input");
    }

    @Test
    void aModelForOtherImages() throws IOException {
        MultiLayerNetwork colour = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(4).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder().nOut(10).activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(32, 32, 3)).build());
        colour.init();
        Path zip = dir.resolve("colour.zip");
        ModelSerializer.writeModel(colour, zip.toFile(), false);
        MainTest.Result result = bnlab("verify", "--model-file", zip.toString(), "--out", dir.resolve("x").toString());
        assertEquals(2, result.code(), result.err());
        assertTrue(result.err().contains("the model does not take 28x28 images"), result.err());
    }

    private static String verdicts(JsonNode verify) {
        StringBuilder verdicts = new StringBuilder();
        verify.path("checks").forEach(c -> verdicts.append(c.path("name").asText()).append('=')
                .append(c.path("passed").asBoolean()).append(' '));
        return verdicts.toString();
    }

    private static JsonNode json(Path file) throws IOException {
        return new ObjectMapper().readTree(file.toFile());
    }
}
