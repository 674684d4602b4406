package bnlab.experiment;

import bnlab.TestData;
import bnlab.data.DataSettings;
import bnlab.data.KnownDataset;
import bnlab.report.Charts;
import bnlab.train.History;
import bnlab.train.Status;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The learning-rate sweep on a small subset and a two-rate grid: a usual rate and one far too large. */
class LearningRateTest {

    private static final List<LearningRate.Sweep> GRID = List.of(
            new LearningRate.Sweep(Optimizer.SGD, List.of(0.1, 1000.0)),
            new LearningRate.Sweep(Optimizer.ADAM, List.of(1e-3)));

    @TempDir
    Path out;

    @Test
    void aFarTooLargeRateIsRecordedAsDivergedAndTheFindingsSaySo() throws IOException {
        LearningRate experiment = new LearningRate(List.of(), GRID);
        ExperimentSettings settings = new ExperimentSettings(new DataSettings(KnownDataset.MNIST, null, 1000), 1, 32, 1,
                true);
        Trial trial = Trial.run(experiment, experiment.plan(settings, TestData.mnist(1000, 2000)), out);
        List<History> histories = trial.histories();
        Findings findings = trial.findings();

        Map<String, List<History>> byVariant = Variants.byVariant(histories);
        assertEquals(List.of("sgd-0.1-mlp", "sgd-0.1-mlp_bn", "sgd-1000-mlp", "sgd-1000-mlp_bn", "adam-0.001-mlp",
                "adam-0.001-mlp_bn"), List.copyOf(byVariant.keySet()));
        for (String model : List.of("mlp", "mlp_bn")) {
            assertEquals(Status.DIVERGED, byVariant.get("sgd-1000-" + model).get(0).status(), model);
            assertEquals(Status.DONE, byVariant.get("sgd-0.1-" + model).get(0).status(), model);
        }

        Verdict sgd = findings.verdicts().get(0);
        assertEquals("sgd", sgd.claim());
        assertEquals("largest rate that trains, per seed: mlp 0.1; mlp_bn 0.1", sgd.context());
        assertEquals(Outcome.NOT_SHOWN, sgd.outcome(), "one seed decides nothing");
        Verdict adam = findings.verdicts().get(1);
        assertEquals("adam", adam.claim());
        assertEquals("largest rate that trains, per seed: mlp 0.001; mlp_bn 0.001", adam.context());
        assertTrue(findings.markdown().contains("| 1000 | all 1 diverged | all 1 diverged |"), findings.markdown());
        assertTrue(findings.markdown().contains("| mlp_bn | "), findings.markdown());
        BufferedImage chart = ImageIO.read(out.resolve("learning-rate.png").toFile());
        assertEquals(2 * Charts.PANEL_WIDTH, chart.getWidth(), "one panel per optimizer");
    }

    @Test
    void theQuickVersionRunsEveryRateOfBothOptimizersWithAndWithoutBn() {
        LearningRate experiment = new LearningRate();
        ExperimentSettings quick = experiment.quick();
        List<Runner.Run> runs = experiment.plan(quick, TestData.mnist(10, 10)).runs();
        int rates = LearningRate.QUICK.stream().mapToInt(sweep -> sweep.rates().size()).sum();
        assertEquals(rates * 2 * quick.seeds(), runs.size());
        assertTrue(quick.quick() && quick.data().limit() != null);
        assertEquals(LearningRate.FULL.stream().mapToInt(sweep -> sweep.rates().size()).sum() * 2
                * experiment.defaults().seeds(), experiment.plan(experiment.defaults(), TestData.mnist(10, 10)).runs().size());
    }
}
