package bnlab.cli;

import bnlab.data.TrainTest;
import bnlab.experiment.Runner;
import bnlab.model.BuiltInModel;
import bnlab.model.ModelFiles;
import bnlab.report.RunFolder;
import bnlab.train.Console;
import bnlab.cpu.CpuTuning;
import bnlab.train.History;
import bnlab.train.RunName;
import bnlab.train.Status;
import bnlab.train.TrainingSettings;
import bnlab.verify.Check;
import bnlab.verify.Subject;
import bnlab.verify.Verification;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "verify", mixinStandardHelpOptions = true,
        description = "Train a BN model (or load one) and verify how BatchNormalization behaves in training and "
                + "inference mode, and DL4J's traps around it; write verify.json and verify.md. "
                + "Exit code 0 only when every check passes.")
final class VerifyCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--model", defaultValue = "mlp_bn", paramLabel = "NAME",
            description = "model to train: mlp_bn or cnn_bn (default: ${DEFAULT-VALUE})")
    BuiltInModel model;

    @Option(names = "--model-file", paramLabel = "ZIP", description = "verify this trained DL4J model zip instead")
    Path modelFile;

    @Mixin
    DataOptions data;

    @Mixin
    TrainingOptions training;

    @Mixin
    OutputOptions output;

    @Mixin
    UiOptions ui;

    record Settings(String model, Path modelFile, Object data, TrainingSettings training) {
    }

    @Override
    public Integer call() {
        if (modelFile == null && model != BuiltInModel.MLP_BN && model != BuiltInModel.CNN_BN) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--model must be mlp_bn or cnn_bn, was " + model);
        }
        TrainingSettings trainingSettings = training.settings();
        TrainTest trainTest = data.settings().load();
        MultiLayerNetwork loaded = modelFile == null ? null : ModelFiles.loadImageClassifier(modelFile);
        Settings settings = new Settings(modelFile == null ? model.toString() : null, modelFile, data.settings(),
                trainingSettings);
        PrintWriter out = spec.commandLine().getOut();
        try (RunFolder folder = output.folder("verify")) {
            return RunCommands.record(folder, "verify", settings, ui, () -> {
                MultiLayerNetwork network = loaded != null ? loaded : train(folder, settings, trainTest, out);
                if (network == null) {
                    return Status.DIVERGED;
                }
                CpuTuning.apply(network);
                List<Check> checks = Verification.run(new Subject(network, trainTest, trainingSettings.batchSize()),
                        trainingSettings.seed());
                folder.writeJson("verify.json", Map.of("checks", checks, "passed", Verification.allPassed(checks)));
                folder.writeString("verify.md", Verification.markdown(checks));
                out.printf("%n%sresults: %s%n", Verification.table(checks), folder.path());
                return Verification.allPassed(checks) ? Status.DONE : Status.FAILED;
            });
        }
    }

    /** Trains the model into the run folder; null if training diverged. */
    private MultiLayerNetwork train(RunFolder folder, Settings settings, TrainTest trainTest, PrintWriter out) {
        Runner runner = new Runner(folder, new Console(out, System.console() != null), settings, histories -> {
        });
        History history = runner.run(List.of(new Runner.Run(RunName.of(model.toString()), model.configuration(settings.training().seed()),
                settings.training())), trainTest).histories().get(0);
        return history.status() == Status.DONE ? ModelFiles.load(folder.resolve("models/" + model + ".zip")) : null;
    }
}
