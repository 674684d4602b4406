package bnlab.experiment;

import bnlab.TestData;
import bnlab.data.DataSettings;
import bnlab.data.KnownDataset;
import bnlab.data.TrainTest;
import bnlab.report.RunFolder;
import bnlab.train.Console;
import bnlab.train.EpochRecord;
import bnlab.train.History;
import bnlab.train.Status;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each experiment's quick path, shrunk further to keep the suite short: every run trains, findings and charts follow. */
class ExperimentsTest {

    @TempDir
    Path out;

    @Test
    void anExperimentWritesItsFindingsBesideTheHistories() throws IOException {
        ExperimentSettings settings = small(1500, 1, 2);
        Findings findings;
        try (RunFolder folder = RunFolder.open(out)) {
            findings = Experiments.PLACEMENT.run(Experiments.PLACEMENT.experiment().plan(settings, data(settings)),
                    Console.none(), folder,
                    RunTraining.here(Console.none(), folder, null));
        }
        String markdown = Files.readString(out.resolve("findings.md"));
        assertTrue(markdown.contains("Claim: " + new Placement().claim()), markdown);
        assertTrue(markdown.contains("**Verdict:** " + findings.brief()), markdown);
        assertTrue(markdown.contains("- " + findings.verdicts().get(0).sentence()), markdown);
        JsonNode recorded = new ObjectMapper().readTree(out.resolve("findings.json").toFile());
        assertEquals("placement", recorded.path("experiment").asText());
        assertEquals(findings.verdicts().get(0).outcome().toString(), recorded.path("verdicts").path(0).path("outcome").asText());
        assertEquals(findings.verdicts().get(0).evidence().difference(),
                recorded.path("verdicts").path(0).path("evidence").path("difference").asDouble(), 1e-12);
        assertTrue(markdown.contains("Settings: mnist, first 1500 training examples, 1 epoch of batches of 32, 2 seeds"),
                markdown);
        assertEquals(6, new ObjectMapper().readTree(out.resolve("summary.json").toFile()).path("models").size());
        assertNotNull(ImageIO.read(out.resolve("placement.png").toFile()));
    }

    @Test
    void placementJudgesBeforeAgainstAfter() {
        ExperimentSettings settings = small(1500, 1, 2);
        List<History> histories = train(new Placement(), settings);
        assertEquals(List.of("bn_before", "bn_after", "no_bn"), List.copyOf(Variants.byVariant(histories).keySet()));
        Findings findings = new Placement().findings(plan(new Placement(), settings), Results.of(histories), folder());
        SeedStatistics before = Variants.finalFigure(histories, EpochRecord::valAccuracy).get("bn_before");
        Comparison evidence = findings.verdicts().get(0).evidence();
        assertEquals("bn_before", evidence.claimedBetter().variant());
        assertEquals(before, evidence.claimedBetter().figure());
        assertEquals("bn_after", evidence.claimedWorse().variant());
    }

    @Test
    void regularizationMeasuresTheGapAndTheJumps() {
        ExperimentSettings settings = small(1500, 2, 2);
        List<History> histories = train(new Regularization(), settings);
        Findings findings = new Regularization().findings(plan(new Regularization(), settings), Results.of(histories),
                folder());
        assertEquals(List.of("regularizes", "smooths"), findings.verdicts().stream().map(Verdict::claim).toList());
        SeedStatistics gap = Variants.finalFigure(histories, r -> r.trainAccuracy() - r.valAccuracy()).get("bn");
        assertEquals(gap, findings.verdicts().get(0).evidence().claimedBetter().figure());
        double spread = Regularization.successiveChangeSpread(histories.get(0));
        assertTrue(spread > 0 && Double.isFinite(spread));
        assertTrue(findings.markdown().contains(String.format(Locale.ROOT, "%.4f", spread).substring(0, 3)));
    }

    @Test
    void dropoutComparesTwoOrders() {
        ExperimentSettings settings = small(1500, 1, 2);
        Findings findings = new DropoutOrder().findings(plan(new DropoutOrder(), settings),
                Results.of(train(new DropoutOrder(), settings)), folder());
        Comparison evidence = findings.verdicts().get(0).evidence();
        assertEquals(List.of("bn_act_dropout", "dropout_bn_act"),
                List.of(evidence.claimedBetter().variant(), evidence.claimedWorse().variant()));
    }

    @Test
    void cnnComparesWithAndWithoutBn() {
        ExperimentSettings settings = small(1000, 1, 1);
        List<History> histories = train(new Convolutional(), settings);
        assertEquals(2, histories.size());
        Findings findings = new Convolutional().findings(plan(new Convolutional(), settings), Results.of(histories),
                folder());
        findings.verdicts().forEach(verdict -> assertEquals(Outcome.NOT_SHOWN, verdict.outcome(),
                "one seed decides nothing: " + verdict.sentence()));
        assertTrue(findings.verdicts().get(0).sentence().contains("not shown (one seed"), findings.brief());
    }

    @Test
    void recurrentTrainsEveryCellWithEveryNormalizationOnSequences() throws IOException {
        ExperimentSettings settings = small(192, 2, 1);
        Recurrent experiment = new Recurrent();
        Trial trial = Trial.run(experiment, experiment.plan(settings, data(settings)), out);
        assertEquals(List.of("rnn", "rnn_ln", "rnn_bn", "lstm", "lstm_ln", "lstm_bn"),
                List.copyOf(Variants.byVariant(trial.histories()).keySet()));
        trial.histories().forEach(h -> assertEquals(Status.DONE, h.status(), h.model()));
        assertEquals(List.of("layer norm beats BN", "BN helps the SimpleRnn", "layer norm beats BN in the LSTM",
                "BN helps the LSTM"), trial.findings().verdicts().stream().map(Verdict::claim).toList());
        assertEquals("lstm_ln", trial.findings().verdicts().get(2).evidence().claimedBetter().variant());
        assertNotNull(ImageIO.read(out.resolve("recurrent.png").toFile()));
    }

    @Test
    void batchSizeSweepsEveryNormalizationAtEachBatchSize() throws IOException {
        BatchSize experiment = new BatchSize(BatchSize.QUICK, new BatchSweep(List.of(BatchSweep.Network.MLP),
                List.of(4, 32)));
        ExperimentSettings settings = small(320, 1, 1);
        Trial trial = Trial.run(experiment, experiment.plan(settings, data(settings)), out);
        assertEquals(List.of("mlp-none-b4", "mlp-bn-b4", "mlp-ln-b4", "mlp-gn-b4", "mlp-bn_accum-b4", "mlp-none-b32",
                "mlp-bn-b32", "mlp-ln-b32", "mlp-gn-b32"), List.copyOf(Variants.byVariant(trial.histories()).keySet()));
        assertEquals("mlp: accumulation does not rescue BN", trial.findings().verdicts().get(3).claim());
        assertEquals("mlp-bn_accum-b4", trial.findings().verdicts().get(3).evidence().claimedWorse().variant());
        assertNotNull(ImageIO.read(out.resolve("batch-size.png").toFile()));
    }

    private List<History> train(Experiment experiment, ExperimentSettings settings) {
        try (RunFolder folder = RunFolder.open(out.resolve("runs"))) {
            return new Runner(folder, Console.none(), settings, h -> {
            }).run(plan(experiment, settings).runs(), data(settings)).histories();
        }
    }

    private static Plan plan(Experiment experiment, ExperimentSettings settings) {
        return experiment.plan(settings, data(settings));
    }

    private RunFolder folder() {
        RunFolder folder = RunFolder.open(out.resolve("findings"));
        folder.close();
        return folder;
    }

    private static ExperimentSettings small(int examples, int epochs, int seeds) {
        return new ExperimentSettings(new DataSettings(KnownDataset.MNIST, null, examples), epochs, 32, seeds, true);
    }

    private static TrainTest data(ExperimentSettings settings) {
        return TestData.mnist().limitTrain(settings.data().limit());
    }
}
