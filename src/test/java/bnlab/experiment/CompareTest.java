package bnlab.experiment;

import bnlab.data.DataSettings;
import bnlab.data.KnownDataset;
import bnlab.model.BuiltInModel;
import bnlab.report.RunFolder;
import bnlab.train.Console;
import bnlab.train.TrainingSettings;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CompareTest {

    @TempDir
    Path out;

    @Test
    void writesHistoriesSummaryAndChart() throws IOException {
        Compare.Settings settings = new Compare.Settings(List.of(BuiltInModel.MLP, BuiltInModel.MLP_BN),
                new DataSettings(KnownDataset.MNIST, null, 2000), new TrainingSettings(2, 32, 5));
        try (RunFolder folder = RunFolder.open(out)) {
            Compare.run(settings, settings.data().load(), Console.none(), folder, null, Runner.hereOnly(Console.none()));
        }

        List<String> history = Files.readAllLines(out.resolve("history.csv"));
        assertEquals("model,epoch,train_loss,train_accuracy,val_loss,val_accuracy,seconds", history.get(0));
        assertEquals(5, history.size());
        assertTrue(history.get(4).startsWith("mlp_bn,2,"), history.get(4));
        assertEquals(1 + 2 * 2 * 63, Files.readAllLines(out.resolve("iterations.csv")).size());

        JsonNode summary = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
        for (String model : List.of("mlp", "mlp_bn")) {
            JsonNode result = result(summary, model);
            assertEquals(2, result.path("epochs").asInt());
            assertTrue(result.path("val_accuracy").asDouble() > 0.7, model + ": " + result);
            for (String field : List.of("train_loss", "train_accuracy", "val_loss", "seconds")) {
                assertTrue(result.has(field), model + " lacks " + field);
            }
        }
        assertEquals(32, summary.path("settings").path("training").path("batch_size").asInt());
        assertEquals("mnist", summary.path("settings").path("data").path("dataset").asText());

        assertEquals("done", result(summary, "mlp").path("status").asText());
        BufferedImage chart = ImageIO.read(out.resolve("comparison.png").toFile());
        assertEquals(1280, chart.getWidth());
        assertEquals(440, chart.getHeight());
        assertTrue(Files.isRegularFile(out.resolve("models/mlp_bn.zip")), "trained networks are saved");
        assertTrue(Files.notExists(out.resolve("checkpoint.zip")), "the checkpoint goes once all runs are done");
        try (var files = Files.walk(out)) {
            assertTrue(files.noneMatch(f -> f.getFileName().toString().endsWith(".tmp")), "no temporary files left");
        }
    }

    private static JsonNode result(JsonNode summary, String model) {
        return summary.path("models").path(model);
    }
}
