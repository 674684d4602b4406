package bnlab.experiment;

import bnlab.TestData;
import bnlab.data.DataSettings;
import bnlab.data.KnownDataset;
import bnlab.report.Charts;
import bnlab.train.History;
import bnlab.train.RunName;
import org.deeplearning4j.nn.conf.distribution.NormalDistribution;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.weights.IWeightInit;
import org.deeplearning4j.nn.weights.WeightInitDistribution;
import org.deeplearning4j.nn.weights.WeightInitRelu;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The initialization experiment on a small subset, with two initializations and one optimizer. */
class InitTest {

    @TempDir
    Path out;

    @Test
    void theSpreadAcrossInitializationsIsJudgedOverSeeds() throws IOException {
        Map<String, IWeightInit> inits = new LinkedHashMap<>();
        inits.put("sd_1", new WeightInitDistribution(new NormalDistribution(0, 1)));
        inits.put("he", new WeightInitRelu());
        Init experiment = new Init(inits, Map.of(Optimizer.SGD, 0.1));
        ExperimentSettings settings = new ExperimentSettings(new DataSettings(KnownDataset.MNIST, null, 1000), 1, 32, 2,
                true);
        Trial trial = Trial.run(experiment, experiment.plan(settings, TestData.mnist(1000, 2000)), out);
        List<History> histories = trial.histories();
        Findings findings = trial.findings();

        Map<String, List<History>> byVariant = Variants.byVariant(histories);
        assertEquals(List.of("sgd-sd_1-mlp", "sgd-sd_1-mlp_bn", "sgd-he-mlp", "sgd-he-mlp_bn"),
                List.copyOf(byVariant.keySet()));
        InitSpread plain = new InitSpread(List.of("sd_1", "he"),
                List.of(byVariant.get("sgd-sd_1-mlp"), byVariant.get("sgd-he-mlp")));
        Verdict verdict = findings.verdicts().get(0);
        assertEquals("sgd 0.1", verdict.claim());
        assertTrue(verdict.context().startsWith(String.format(Locale.ROOT,
                "range of the initializations' means: mlp %.4f, mlp_bn ", plain.rangeOfMeans())), verdict.context());
        assertEquals("best minus worst initialization's final validation accuracy, per seed", verdict.evidence().figure());
        assertFalse(Double.isNaN(verdict.evidence().twoStandardErrors()),
                "two seeds give a spread to judge by: " + verdict.sentence());
        assertTrue(findings.markdown().contains("| sd_1 | ") && findings.markdown().contains("| he | "),
                findings.markdown());
        assertTrue(findings.markdown().contains(plain.perSeedSpread().format("%.4f")), findings.markdown());
        assertEquals(Charts.PANEL_WIDTH, ImageIO.read(out.resolve("init.png").toFile()).getWidth(),
                "one panel per optimizer");
    }

    @Test
    void theDefaultRunsDrawTheirWeightsAsNamed() {
        Init experiment = new Init();
        ExperimentSettings settings = experiment.defaults();
        List<Runner.Run> runs = experiment.plan(settings, TestData.mnist(10, 10)).runs();
        assertEquals(Init.INITS.size() * Init.OPTIMIZERS.size() * 2 * settings.seeds(), runs.size());
        Runner.Run tiny = runs.stream().filter(run -> run.name().equals(RunName.of("adam-sd_0.001-mlp_bn", 1))).findFirst()
                .orElseThrow();
        BaseLayer dense = (BaseLayer) tiny.configuration().getConf(0).getLayer();
        assertEquals(new WeightInitDistribution(new NormalDistribution(0, 0.001)), dense.getWeightInitFn());
    }
}
