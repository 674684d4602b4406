package bnlab.model;

import bnlab.BadInputException;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelFilesTest {

    @TempDir
    Path dir;

    @Test
    void readsNamesZipsAndJson() throws IOException {
        MultiLayerConfiguration builtIn = ModelFiles.configuration("mlp_bn");
        assertEquals(BuiltInModel.MLP_BN.configuration(42), builtIn);

        MultiLayerNetwork network = new MultiLayerNetwork(builtIn);
        network.init();
        Path zip = dir.resolve("mlp_bn.zip");
        ModelSerializer.writeModel(network, zip.toFile(), true);
        assertEquals(network.params(), ModelFiles.load(zip).params());
        assertEquals(builtIn.getConfs().size(), ModelFiles.configuration(zip.toString()).getConfs().size());

        Path json = Files.writeString(dir.resolve("conf.json"), builtIn.toJson());
        assertEquals(builtIn, ModelFiles.configuration(json.toString()));
    }

    @Test
    void damagedZip() throws IOException {
        MultiLayerNetwork network = new MultiLayerNetwork(BuiltInModel.MLP.configuration(1));
        network.init();
        Path zip = dir.resolve("model.zip");
        ModelSerializer.writeModel(network, zip.toFile(), false);
        byte[] bytes = Files.readAllBytes(zip);
        Path cut = Files.write(dir.resolve("cut.zip"), Arrays.copyOf(bytes, bytes.length / 2));
        assertProblem(() -> ModelFiles.load(cut), cut, "not a zip file, or a damaged one");
    }

    @Test
    void foreignZipAndGraph() throws IOException {
        Path notModel = dir.resolve("other.zip");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(notModel))) {
            zip.putNextEntry(new ZipEntry("readme.txt"));
            zip.write("hello".getBytes());
        }
        assertProblem(() -> ModelFiles.load(notModel), notModel, "without configuration.json");

        ComputationGraphConfiguration graphConf = new NeuralNetConfiguration.Builder().graphBuilder()
                .addInputs("in")
                .addLayer("out", new OutputLayer.Builder().nIn(4).nOut(2).build(), "in")
                .setOutputs("out").build();
        ComputationGraph graph = new ComputationGraph(graphConf);
        graph.init();
        Path graphZip = dir.resolve("graph.zip");
        ModelSerializer.writeModel(graph, graphZip.toFile(), false);
        assertProblem(() -> ModelFiles.load(graphZip), graphZip, "a ComputationGraph");
    }

    @Test
    void jsonThatIsNotAConfiguration() throws IOException {
        Path text = Files.writeString(dir.resolve("notes.json"), "these are not JSON");
        assertProblem(() -> ModelFiles.configuration(text.toString()), text, "not JSON");
        Path other = Files.writeString(dir.resolve("other.json"), "{\"name\": \"x\"}");
        assertProblem(() -> ModelFiles.configuration(other.toString()), other, "not a MultiLayerConfiguration");
        assertProblem(() -> ModelFiles.configuration("resnet50"), Path.of("resnet50"), "neither a file nor a built-in model");
    }

    private static void assertProblem(Runnable action, Path file, String expected) {
        BadInputException e = assertThrows(BadInputException.class, action::run);
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertEquals(-1, e.getMessage().indexOf('\n'), e.getMessage());
    }
}
