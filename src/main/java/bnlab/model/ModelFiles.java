package bnlab.model;

import bnlab.BadInputException;
import bnlab.data.InputShape;
import bnlab.data.KnownDataset;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Networks and configurations that users name on the command line: a built-in model's name, a
 * DL4J model zip (written by {@code ModelSerializer}), or a {@code MultiLayerConfiguration}
 * JSON file. Anything else is a {@link BadInputException} naming the file and the problem.
 */
public final class ModelFiles {

    private ModelFiles() {
    }

    /** A trained network saved with {@code ModelSerializer}, with its updater state if saved. */
    public static MultiLayerNetwork load(Path zip) {
        String json = configurationJsonOf(zip);
        requireMultiLayer(zip, json);
        try {
            return ModelSerializer.restoreMultiLayerNetwork(zip.toFile(), true);
        } catch (IOException | RuntimeException e) {
            throw new BadInputException(zip + ": damaged DL4J model zip (" + e.getMessage() + ")", e);
        }
    }

    /**
     * A trained network that takes bnlab's 28x28 images (flat or 1x28x28, as its first layer
     * needs) and gives ten class probabilities.
     */
    public static MultiLayerNetwork loadImageClassifier(Path zip) {
        MultiLayerNetwork network = load(zip);
        INDArray image = InputShape.of(network.getLayerWiseConfigurations()).arrange(Nd4j.zeros(1, KnownDataset.PIXELS));
        long[] outputShape;
        try {
            outputShape = network.output(image, false).shape();
        } catch (RuntimeException e) {
            throw new BadInputException(zip + ": the model does not take 28x28 images (" + rootMessage(e) + ")", e);
        }
        if (outputShape.length != 2 || outputShape[1] != KnownDataset.CLASSES) {
            throw new BadInputException(zip + ": the model outputs " + Arrays.toString(outputShape)
                    + ", not " + KnownDataset.CLASSES + " class probabilities");
        }
        return network;
    }

    /**
     * The configuration of {@code model}: a built-in model's name (initialized with seed 42), a
     * model zip or a configuration JSON file.
     */
    public static MultiLayerConfiguration configuration(String model) {
        for (BuiltInModel builtIn : BuiltInModel.values()) {
            if (builtIn.toString().equals(model)) {
                return builtIn.configuration(42);
            }
        }
        Path file = Path.of(model);
        if (!Files.exists(file)) {
            throw new BadInputException(model + ": neither a file nor a built-in model ("
                    + Arrays.toString(BuiltInModel.values()) + ")");
        }
        String json = model.toLowerCase(Locale.ROOT).endsWith(".json") ? read(file) : configurationJsonOf(file);
        requireMultiLayer(file, json);
        try {
            return MultiLayerConfiguration.fromJson(json);
        } catch (RuntimeException e) {
            throw new BadInputException(file + ": not a valid MultiLayerConfiguration (" + rootMessage(e) + ")", e);
        }
    }

    private static String configurationJsonOf(Path zip) {
        try (ZipFile file = new ZipFile(zip.toFile())) {
            ZipEntry entry = file.getEntry(ModelSerializer.CONFIGURATION_JSON);
            if (entry == null) {
                throw new BadInputException(zip + ": a zip without " + ModelSerializer.CONFIGURATION_JSON
                        + ", so not a DL4J model");
            }
            try (InputStream in = file.getInputStream(entry)) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        } catch (NoSuchFileException e) {
            throw new BadInputException(zip + ": file not found");
        } catch (ZipException e) {
            throw new BadInputException(zip + ": not a zip file, or a damaged one (" + e.getMessage() + ")");
        } catch (IOException e) {
            throw new BadInputException(zip + ": cannot be read (" + e.getMessage() + ")");
        }
    }

    /** DL4J's own reader accepts a graph's JSON as an empty network; bnlab says what it is instead. */
    private static void requireMultiLayer(Path file, String json) {
        JsonNode tree;
        try {
            tree = new ObjectMapper().readTree(json);
        } catch (JsonProcessingException e) {
            throw new BadInputException(file + ": not JSON (" + e.getOriginalMessage() + ")");
        }
        if (tree != null && tree.has("vertices")) {
            throw new BadInputException(file + ": a ComputationGraph; bnlab works with MultiLayerNetwork models");
        }
        if (tree == null || !tree.path("confs").isArray() || tree.path("confs").isEmpty()) {
            throw new BadInputException(file + ": not a MultiLayerConfiguration (no layers in \"confs\")");
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new BadInputException(file + ": cannot be read (" + e.getMessage() + ")");
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        String message = String.valueOf(root.getMessage());
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
