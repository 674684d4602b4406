package bnlab.experiment;

import bnlab.TestData;
import bnlab.data.DataSettings;
import bnlab.data.KnownDataset;
import bnlab.report.Charts;
import bnlab.train.ActivationDistributionListener;
import bnlab.train.ActivationDistributionListener.Site;
import bnlab.train.History;
import bnlab.train.RunName;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IoffeTest {

    @TempDir
    Path out;

    /** 1200 examples in batches of 60 for 3 epochs: 60 steps, few enough to record after every one. */
    @Test
    void recordsTheSigmoidInputThroughoutTrainingAndDrawsFigure1() throws IOException {
        Ioffe ioffe = new Ioffe();
        ExperimentSettings settings = ioffe.quick().withData(new DataSettings(KnownDataset.MNIST, null, 1200))
                .withEpochs(3);
        Plan plan = ioffe.plan(settings, TestData.mnist(1200, 2000));
        List<Runner.Run> runs = plan.runs();
        Trial trial = Trial.run(ioffe, plan, out);
        List<History> histories = trial.histories();
        Findings findings = trial.findings();

        assertEquals(List.of("no_bn-s1", "bn-s1"), runs.stream().map(run -> run.name().toString()).toList());
        Map<RunName, ActivationDistributionListener> recorded =
                trial.results().recorders(ActivationDistributionListener.class);
        for (Runner.Run run : runs) {
            ActivationDistributionListener distribution = recorded.get(run.name());
            assertArrayEquals(IntStream.rangeClosed(0, 60).toArray(), distribution.iterations(), run.name().toString());
            double[] p15 = distribution.percentile(distribution.sites().get(0), 15);
            double[] p85 = distribution.percentile(distribution.sites().get(0), 85);
            assertEquals(61, p15.length);
            assertTrue(IntStream.range(0, p15.length).allMatch(i -> p15[i] <= p85[i]), run.name().toString());
        }
        assertEquals(2, histories.stream().filter(h -> h.epochs().size() == 3).count());
        Verdict verdict = findings.verdicts().get(0);
        assertEquals(Outcome.NOT_SHOWN, verdict.outcome(), "one seed decides nothing: " + verdict.sentence());
        assertTrue(verdict.context().startsWith("without BN over training the sigmoid input's median ranged over"),
                verdict.context());
        assertTrue(findings.markdown().contains(String.format(Locale.ROOT, "| %d | %.4f", 60,
                histories.get(0).last().valAccuracy())), findings.markdown());
        assertEquals(3 * Charts.PANEL_WIDTH, ImageIO.read(out.resolve("figure1.png").toFile()).getWidth());
    }

    /** The paper's network: the sigmoid's input is the output of BN where there is one, else of the Dense layer. */
    @Test
    void watchesTheInputOfTheLastHiddenLayersSigmoid() {
        for (boolean batchNorm : List.of(false, true)) {
            MultiLayerConfiguration network = Ioffe.network(batchNorm, 1);
            Site site = Ioffe.sigmoidInput(network);
            Class<?> sigmoidInput = batchNorm ? BatchNormalization.class : DenseLayer.class;
            assertEquals(sigmoidInput, network.getConf(site.layer()).getLayer().getClass());
            assertInstanceOf(ActivationLayer.class, network.getConf(site.layer() + 1).getLayer());
            long sigmoidsAfter = IntStream.range(site.layer() + 2, network.getConfs().size())
                    .filter(i -> network.getConf(i).getLayer() instanceof ActivationLayer).count();
            assertEquals(0, sigmoidsAfter, "the last hidden layer's");
            assertEquals(Ioffe.HIDDEN_LAYERS * (batchNorm ? 3 : 2) + 1, network.getConfs().size());
        }
    }
}
