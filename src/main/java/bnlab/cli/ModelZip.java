package bnlab.cli;

import bnlab.BadInputException;
import bnlab.model.ModelFiles;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.function.Supplier;

/** The trained network a command works on, named on its command line. */
final class ModelZip {

    @Parameters(paramLabel = "MODEL_ZIP",
            description = "a trained network: a model zip written by bnlab (models/NAME.zip) or DL4J's ModelSerializer")
    Path path;

    MultiLayerNetwork network() {
        return ModelFiles.load(path);
    }

    /** What {@code use} makes of the network; bad input it finds is reported with the file's name. */
    <T> T checked(Supplier<T> use) {
        try {
            return use.get();
        } catch (BadInputException e) {
            throw new BadInputException(path + ": " + e.getMessage(), e);
        }
    }
}
