package bnlab.experiment;

import bnlab.TestData;
import bnlab.data.DataSettings;
import bnlab.data.KnownDataset;
import bnlab.report.Charts;
import bnlab.train.GradientNormListener;
import bnlab.train.History;
import bnlab.train.RunName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The deep experiment's quick path on 320 examples: every network trains 10 iterations. */
class DeepTest {

    @TempDir
    Path out;

    @Test
    void recordsEveryHiddenLayersGradientAndReportsPerSetting() throws IOException {
        Deep deep = new Deep();
        ExperimentSettings settings = deep.quick().withData(new DataSettings(KnownDataset.MNIST, null, 320));
        Plan plan = deep.plan(settings, TestData.mnist(320, 2000));
        List<Runner.Run> runs = plan.runs();
        Trial trial = Trial.run(deep, plan, out);
        List<History> histories = trial.histories();
        Findings findings = trial.findings();

        assertEquals(List.of("sigmoid10", "sigmoid10_bn", "relu10", "relu10_bn", "sigmoid20", "sigmoid20_bn", "relu20",
                "relu20_bn"), List.copyOf(Variants.byVariant(histories).keySet()));
        Map<RunName, GradientNormListener> recorded = trial.results().recorders(GradientNormListener.class);
        for (Runner.Run run : runs) {
            GradientNormListener gradients = recorded.get(run.name());
            int iterations = histories.get(runs.indexOf(run)).iterationScores().size();
            assertArrayEquals(IntStream.iterate(0, i -> i < iterations, i -> i + Deep.GRADIENT_FREQUENCY).toArray(),
                    gradients.iterations(), run.name().toString());
            List<String> hidden = Deep.hiddenWeights(run.configuration());
            assertEquals(run.name().variant().contains("10") ? 10 : 20, hidden.size(), run.name().toString());
            assertTrue(gradients.parameters().containsAll(hidden), run.name().toString());
        }
        GradientNormListener first = recorded.get(runs.get(0).name());
        List<String> hidden = Deep.hiddenWeights(runs.get(0).configuration());
        double ratioAtStart = first.norms(hidden.get(0))[0] / first.norms(hidden.get(hidden.size() - 1))[0];
        assertTrue(findings.markdown().contains("| sigmoid10 | " + SeedStatistics.of(ratioAtStart).format("%.3g")),
                findings.markdown());
        assertEquals(Deep.settings().stream().map(Deep.Setting::toString).toList(),
                findings.verdicts().stream().map(Verdict::claim).toList());
        for (Deep.Setting setting : Deep.settings()) {
            assertTrue(findings.markdown().contains("| " + setting.variant(true) + " | "), findings.markdown());
        }
        for (String chart : List.of("accuracy.png", "gradient-profile.png", "gradients-10.png", "gradients-20.png")) {
            assertEquals(2 * Charts.PANEL_WIDTH, ImageIO.read(out.resolve(chart).toFile()).getWidth(), chart);
        }
    }
}
