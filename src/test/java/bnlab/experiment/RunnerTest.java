package bnlab.experiment;

import bnlab.BadInputException;
import bnlab.TestData;
import bnlab.data.TrainTest;
import bnlab.model.Mlp;
import bnlab.report.RunFolder;
import bnlab.train.Console;
import bnlab.train.History;
import bnlab.train.RunName;
import bnlab.train.Status;
import bnlab.train.TrainingSettings;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.learning.config.Sgd;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RunnerTest {

    @TempDir
    Path out;

    @Test
    void aDivergingRunIsRecordedAndTheNextOneStillTrains() throws IOException {
        TrainTest data = TestData.mnist().limitTrain(2000);
        TrainingSettings training = new TrainingSettings(2, 32, 1);
        Mlp mlp = Mlp.tutorial(1);
        Mlp tooFast = mlp.withUpdater(new Sgd(500));
        List<History> histories;
        try (RunFolder folder = RunFolder.open(out)) {
            histories = new Runner(folder, Console.none(), "settings", h -> {
            }).run(List.of(
                    new Runner.Run(RunName.of("sgd_500"), tooFast.configuration(), training),
                    new Runner.Run(RunName.of("adam"), mlp.configuration(), training)), data).histories();
        }
        History diverged = histories.get(0);
        assertEquals(Status.DIVERGED, diverged.status());
        assertNotNull(diverged.note());
        assertTrue(diverged.iterationScores().size() < 2 * 63, "stopped early: " + diverged.iterationScores().size());
        assertEquals(Status.DONE, histories.get(1).status());
        assertEquals(2, histories.get(1).epochs().size());

        JsonNode summary = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
        assertEquals("diverged", summary.path("models").path("sgd_500").path("status").asText());
        assertEquals(diverged.note(), summary.path("models").path("sgd_500").path("note").asText());
        assertEquals("done", summary.path("models").path("adam").path("status").asText());
    }

    @Test
    void aRunAcrossWorkersNeedsSparkAndIsRefusedBeforeItTrains() {
        TrainTest data = TestData.mnist().limitTrain(640);
        Runner.Run acrossFour = new Runner.Run(RunName.of("mlp_bn"), Mlp.tutorial(1).configuration(),
                new TrainingSettings(1, 64, 1)).acrossWorkers(4);
        try (RunFolder folder = RunFolder.open(out)) {
            BadInputException refused = assertThrows(BadInputException.class,
                    () -> new Runner(folder, Console.none(), "settings", h -> {
                    }).run(List.of(acrossFour), data));
            assertEquals("a run over 4 workers trains on Spark: give --spark MASTER", refused.getMessage());
        }
        assertFalse(out.resolve("history.csv").toFile().exists());
        assertEquals("a batch of 30 does not split over 4 workers: each worker trains on batch size / workers examples",
                assertThrows(BadInputException.class, () -> new Runner.Run(RunName.of("mlp_bn"),
                        Mlp.tutorial(1).configuration(), new TrainingSettings(1, 30, 1)).acrossWorkers(4))
                        .getMessage());
    }
}
