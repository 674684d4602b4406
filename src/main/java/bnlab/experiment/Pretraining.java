package bnlab.experiment;

import bnlab.BadInputException;
import bnlab.Json;
import bnlab.data.ClassSubset;
import bnlab.data.TrainTest;
import bnlab.model.BuiltInModel;
import bnlab.model.FineTuning;
import bnlab.model.ModelFiles;
import bnlab.report.RunFolder;
import bnlab.train.Checkpoint;
import bnlab.train.Console;
import bnlab.train.RunName;
import bnlab.train.Status;
import com.fasterxml.jackson.databind.JsonNode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The networks an experiment fine-tunes: cnn_bn trained on some classes, one per seed, by a
 * Runner of its own in the run folder's {@code pretraining/} (it trains on other data than the
 * experiment's runs), which saves them there as {@code models/cnn_bn-s<seed>.zip}.
 *
 * <p>What an earlier command left in {@code pretraining/} is used only if it was made with the
 * same settings (its summary.json says so): networks it finished are loaded, and pretraining
 * it left unfinished continues from its checkpoint. Anything else is pretrained afresh.
 */
final class Pretraining {

    static final String FOLDER = "pretraining";
    static final String MODEL = "cnn_bn";
    /**
     * Steps pretraining takes at least, however few examples it has: BN's running statistics
     * (decay 0.99) keep 0.99^steps of their initial values, and a first convolution's outputs
     * here vary by only ~0.01, so a network pretrained for fewer steps is wrong at inference
     * (a few hundred steps leave it at chance). 0.99^1000 is 4e-5.
     */
    static final int STEPS = 1000;
    /** Epochs pretraining takes at least: enough for cnn_bn to learn five classes. */
    static final int MIN_EPOCHS = 2;

    private final ExperimentSettings experiment;
    private final ClassSubset classes;
    private final int steps;
    private final TrainTest source;

    /**
     * Pretraining on {@code data}'s examples of {@code classes}, with the batch size and seeds of
     * {@code experiment}, for at least {@code steps} steps.
     */
    Pretraining(ExperimentSettings experiment, ClassSubset classes, int steps, TrainTest data) {
        this.experiment = experiment;
        this.classes = classes;
        this.steps = steps;
        this.source = classes.of(data);
    }

    /** The network pretraining starts from for {@code seed}, untrained. */
    MultiLayerNetwork untrained(long seed) {
        MultiLayerNetwork network = new MultiLayerNetwork(configuration(seed));
        network.init();
        return network;
    }

    private MultiLayerConfiguration configuration(long seed) {
        return FineTuning.withClasses(BuiltInModel.CNN_BN.configuration(seed), classes.size());
    }

    /** Epochs over {@code examples} examples: at least {@link #MIN_EPOCHS} and at least {@code steps} steps. */
    int epochs(int examples) {
        int stepsPerEpoch = (examples + experiment.batchSize() - 1) / experiment.batchSize();
        return Math.max(MIN_EPOCHS, (steps + stepsPerEpoch - 1) / stepsPerEpoch);
    }

    /** The pretrained network of each seed by its run's name, trained in {@code out}'s {@link #FOLDER} unless already there. */
    Map<RunName, MultiLayerNetwork> networks(Console console, RunFolder out) {
        ExperimentSettings settings = experiment.withEpochs(epochs(source.train().numExamples()));
        Path folder = out.resolve(FOLDER);
        List<Runner.Run> runs = settings.seedList().stream().map(seed -> new Runner.Run(name(seed),
                configuration(seed), settings.training(seed))).toList();
        boolean sameSettings = Files.exists(summaryFile(folder))
                && summary(folder).path("settings").equals(Json.MAPPER.valueToTree(settings));
        boolean finished = sameSettings && runs.stream().allMatch(run -> Status.DONE.toString().equals(
                summary(folder).path("models").path(run.name().toString()).path("status").asText())
                && Files.exists(modelFile(folder, run.name())));
        if (!finished) {
            Checkpoint.Restored checkpoint = sameSettings ? Runner.checkpointIn(folder) : null;
            try (RunFolder pretraining = RunFolder.open(folder)) {
                new Runner(pretraining, console, settings, histories -> {
                }).run(runs, source, checkpoint);
            }
        }
        Map<RunName, MultiLayerNetwork> networks = new LinkedHashMap<>();
        settings.seedList().forEach(seed -> networks.put(name(seed), ModelFiles.load(modelFile(folder, name(seed)))));
        return networks;
    }

    /** "cnn_bn pretrained on classes 0-4 for 2 epochs: validation accuracy on them 0.9950 ± 0.0010 (n=3)". */
    String describe(RunFolder out) {
        JsonNode summary = summary(out.resolve(FOLDER));
        JsonNode models = summary.path("models");
        SeedStatistics accuracy = SeedStatistics.of(experiment.seedList().stream()
                .map(seed -> models.path(name(seed).toString()))
                .filter(model -> Status.DONE.toString().equals(model.path("status").asText()))
                .mapToDouble(model -> model.path("val_accuracy").asDouble()).toArray());
        return String.format(Locale.ROOT, "%s pretrained on classes %s for %d epochs: validation accuracy on them %s",
                MODEL, classes, summary.path("settings").path("epochs").asInt(), accuracy.format("%.4f"));
    }

    static RunName name(long seed) {
        return RunName.of(MODEL, seed);
    }

    private static Path modelFile(Path folder, RunName run) {
        return folder.resolve("models").resolve(run + ".zip");
    }

    private static Path summaryFile(Path folder) {
        return folder.resolve("summary.json");
    }

    private static JsonNode summary(Path folder) {
        try {
            return Json.MAPPER.readTree(summaryFile(folder).toFile());
        } catch (IOException e) {
            throw new BadInputException(summaryFile(folder) + ": unreadable (" + e.getMessage() + ")", e);
        }
    }
}
