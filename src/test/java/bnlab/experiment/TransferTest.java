package bnlab.experiment;

import bnlab.TestData;
import bnlab.cpu.CpuTuning;
import bnlab.data.DataSettings;
import bnlab.data.KnownDataset;
import bnlab.data.TrainTest;
import bnlab.model.ModelFiles;
import bnlab.report.RunFolder;
import bnlab.train.Console;
import bnlab.train.History;
import bnlab.train.Trainer;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.deeplearning4j.nn.layers.normalization.BatchNormalization;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

import javax.imageio.ImageIO;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The quick path shrunk to a few hundred examples a task and the shortest pretraining, run once
 * for most tests: what every variant freezes stays as pretrained, what it trains moves, and the
 * findings report it all.
 */
class TransferTest {

    private static final Transfer EXPERIMENT = new Transfer(0);

    private static final ExperimentSettings SETTINGS =
            new ExperimentSettings(new DataSettings(KnownDataset.MNIST, null, 1200), 2, 32, 1, true);

    @TempDir
    static Path shared;

    @TempDir
    Path dir;

    private static Findings findings;

    @BeforeAll
    static void runTheExperiment() {
        try (RunFolder folder = RunFolder.open(shared)) {
            Plan plan = EXPERIMENT.plan(SETTINGS, data());
            Results results = Experiments.train(plan, Console.none(), folder, RunTraining.here(Console.none(), folder, null));
            findings = EXPERIMENT.findings(plan, results, folder);
        }
    }

    @Test
    void pretrainsThenFineTunesEveryVariantAndSaysWhatItFound() throws IOException {
        String markdown = findings.markdown();
        assertEquals(List.of("while frozen (epoch 1)", "at the end (epoch 2)"),
                findings.verdicts().stream().map(Verdict::claim).toList());
        assertTrue(markdown.contains("cnn_bn pretrained on classes 0-4 for 2 epochs"), markdown);
        for (FineTuningVariant variant : FineTuningVariant.values()) {
            assertTrue(markdown.contains("| " + variant + " | " + variant.freezes), variant.toString());
        }
        assertTrue(markdown.contains("## At the unfreezing"), markdown);
        ObjectMapper json = new ObjectMapper();
        List<String> runs = new ArrayList<>();
        json.readTree(shared.resolve("summary.json").toFile()).path("models").fieldNames().forEachRemaining(runs::add);
        assertEquals(List.of("bn_frozen_first-s1", "all_trainable-s1", "bn_frozen-s1", "features_frozen-s1"), runs);
        assertEquals("done", json.readTree(shared.resolve("pretraining/summary.json").toFile())
                .path("models").path("cnn_bn-s1").path("status").asText());
        assertTrue(ImageIO.read(shared.resolve("transfer.png").toFile()).getWidth() > 0);
    }

    /** DL4J gives a layer added by TransferLearning its default updater, SGD at 1e-3, unless it has one of its own. */
    @Test
    void everyNewHeadTrainsWithThePretrainedHeadsUpdater() {
        MultiLayerNetwork pretrained = pretrained();
        IUpdater pretrainedUpdater = ((BaseLayer) pretrained.getOutputLayer().conf().getLayer()).getIUpdater();
        assertEquals(new Adam(1e-3), pretrainedUpdater);
        for (String variant : List.of("bn_frozen_first", "all_trainable", "bn_frozen", "features_frozen")) {
            MultiLayerNetwork network = fineTuned(variant);
            assertEquals(pretrainedUpdater, ((BaseLayer) network.getOutputLayer().conf().getLayer()).getIUpdater(),
                    variant);
        }
    }

    @Test
    void frozenBnLayersKeepTheirPretrainedParametersWhileTheLayersAroundThemTrain() {
        MultiLayerNetwork pretrained = pretrained();
        MultiLayerNetwork bnFrozen = fineTuned("bn_frozen");
        for (int bn : bnLayers(pretrained)) {
            assertSame(pretrained, bnFrozen, bn);
        }
        assertNotEquals(pretrained.getLayer(0).params(), bnFrozen.getLayer(0).params(), "the convolution below trains");
    }

    @Test
    void aFrozenFeatureExtractorKeepsEveryPretrainedLayer() {
        MultiLayerNetwork pretrained = pretrained();
        MultiLayerNetwork featuresFrozen = fineTuned("features_frozen");
        IntStream.range(0, pretrained.getnLayers() - 1).forEach(layer -> assertSame(pretrained, featuresFrozen, layer));
        assertEquals(Transfer.TARGET.size(), featuresFrozen.layerSize(featuresFrozen.getnLayers() - 1),
                "a new head for the target classes");
    }

    @Test
    void trainableBnLayersMoveFromTheStart() {
        MultiLayerNetwork pretrained = pretrained();
        for (String variant : List.of("all_trainable", "bn_frozen_first")) {
            MultiLayerNetwork fineTuned = fineTuned(variant);
            for (int bn : bnLayers(pretrained)) {
                for (Map.Entry<String, INDArray> parameter : pretrained.getLayer(bn).paramTable().entrySet()) {
                    assertNotEquals(parameter.getValue(), fineTuned.getLayer(bn).paramTable().get(parameter.getKey()),
                            variant + " layer " + bn + " " + parameter.getKey());
                }
            }
        }
    }

    /** bn_frozen_first's BN layers, epoch by epoch: as pretrained after the frozen epoch, trained after the next. */
    @Test
    void bnFrozenFirstHoldsItsBnLayersForOneEpochThenTrainsThem() {
        MultiLayerNetwork pretrained = pretrained();
        MultiLayerNetwork network = FineTuningVariant.BN_FROZEN_FIRST.fineTunable(pretrained, 1, 2);
        CpuTuning.apply(network);
        List<MultiLayerNetwork> afterEpoch = new ArrayList<>();
        new Trainer(SETTINGS.training(1), Console.none()).fit(History.start("bn_frozen_first"), network,
                Transfer.TARGET.of(data()), (history, net) -> afterEpoch.add(net.clone()));
        for (int bn : bnLayers(pretrained)) {
            assertSame(pretrained, afterEpoch.get(0), bn);
            assertNotEquals(pretrained.getLayer(bn).params(), afterEpoch.get(1).getLayer(bn).params(), "layer " + bn);
        }
        assertNotEquals(pretrained.getLayer(0).params(), afterEpoch.get(0).getLayer(0).params(),
                "the convolution below trains while the BN is frozen");
    }

    /**
     * Killed during fine-tuning and resumed: pretraining is not redone, and the run goes on from
     * its checkpoint. The pretraining of the shared run is copied in first, so the killed run
     * reuses it too (same settings).
     */
    @Test
    void resumeReusesThePretrainingAndContinuesTheFineTuning() throws IOException {
        copy(shared.resolve(Pretraining.FOLDER), dir.resolve(Pretraining.FOLDER));
        KillingWriter killed = new KillingWriter("bn_frozen_first-s1 epoch  2/");
        try (RunFolder folder = RunFolder.open(dir)) {
            Console console = new Console(new PrintWriter(killed), false);
            assertThrows(Killed.class, () -> Experiments.train(EXPERIMENT.plan(SETTINGS, data()), console, folder,
                    RunTraining.here(console, folder, null)));
        }
        assertFalse(killed.printed.toString().contains("cnn_bn-s1 epoch"), "the same pretraining is reused: " + killed.printed);
        StringWriter resumed = new StringWriter();
        try (RunFolder folder = RunFolder.open(dir)) {
            Console console = new Console(new PrintWriter(resumed), false);
            Experiments.train(EXPERIMENT.plan(SETTINGS, data()), console, folder,
                    RunTraining.here(console, folder, Runner.checkpointIn(dir)));
        }
        assertTrue(resumed.toString().contains("resuming bn_frozen_first-s1 after epoch 1"), resumed.toString());
        assertFalse(resumed.toString().contains("cnn_bn-s1 epoch"), "pretraining is not redone: " + resumed);
        List<String> history = Files.readAllLines(dir.resolve("history.csv"));
        assertEquals(1 + 4 * 2, history.size(), String.join("\n", history));
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.toList()) {
                Files.copy(file, to.resolve(from.relativize(file).toString()));
            }
        }
    }

    private static TrainTest data() {
        return TestData.mnist(SETTINGS.data().limit(), 1000);
    }

    private static MultiLayerNetwork pretrained() {
        return ModelFiles.load(shared.resolve("pretraining/models/cnn_bn-s1.zip"));
    }

    private static MultiLayerNetwork fineTuned(String variant) {
        return ModelFiles.load(shared.resolve("models/" + variant + "-s1.zip"));
    }

    private static List<Integer> bnLayers(MultiLayerNetwork network) {
        List<Integer> layers = IntStream.range(0, network.getnLayers())
                .filter(i -> network.getLayer(i) instanceof BatchNormalization).boxed().toList();
        assertEquals(3, layers.size(), "cnn_bn has three BN layers");
        return layers;
    }

    /** Layer {@code layer} of both networks has exactly the same parameters, frozen wrapper or not. */
    private static void assertSame(MultiLayerNetwork expected, MultiLayerNetwork actual, int layer) {
        Map<String, INDArray> parameters = actual.getLayer(layer).paramTable();
        expected.getLayer(layer).paramTable().forEach((name, value) -> assertArrayEquals(value.ravel().toDoubleVector(),
                parameters.get(name).ravel().toDoubleVector(), 0.0, "layer " + layer + " " + name));
    }

    /** Stands for a kill: thrown when the console is about to print {@code line}. */
    private static final class Killed extends RuntimeException {
    }

    private static final class KillingWriter extends Writer {

        private final String line;
        private final StringBuilder printed = new StringBuilder();

        KillingWriter(String line) {
            this.line = line;
        }

        @Override
        public void write(char[] characters, int offset, int length) {
            printed.append(characters, offset, length);
            if (printed.indexOf(line) >= 0) {
                throw new Killed();
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }
}
