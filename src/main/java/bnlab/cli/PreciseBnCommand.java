package bnlab.cli;

import bnlab.data.DataSettings;
import bnlab.data.TrainTest;
import bnlab.infer.PreciseBn;
import bnlab.infer.PreciseBnReport;
import bnlab.report.RunFolder;
import bnlab.train.Status;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "precise-bn", mixinStandardHelpOptions = true,
        description = "Recompute each BatchNormalization layer's running mean and variance exactly over N batches of "
                + "training data, layer by layer in inference mode. Writes precise-bn.zip, the updated network, and "
                + "precise-bn.json with validation loss and accuracy before and after.")
final class PreciseBnCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ModelZip model;

    @Option(names = "--batches", defaultValue = "100", paramLabel = "N", converter = PositiveInt.class,
            description = "training batches to compute the statistics over (default: ${DEFAULT-VALUE})")
    int batches;

    @Option(names = "--batch-size", defaultValue = "100", paramLabel = "N", converter = PositiveInt.class,
            description = "examples per batch; only memory and speed depend on it, not the statistics "
                    + "(default: ${DEFAULT-VALUE})")
    int batchSize;

    @Option(names = "--seed", defaultValue = "42", paramLabel = "N",
            description = "seed of the order the training examples are drawn in (default: ${DEFAULT-VALUE})")
    long seed;

    @Mixin
    DataOptions data;

    @Mixin
    OutputOptions output;

    record Settings(Path model, int batches, int batchSize, long seed, DataSettings data) {
    }

    @Override
    public Integer call() {
        MultiLayerNetwork network = model.network();
        model.checked(() -> PreciseBn.layersOf(network));
        TrainTest trainTest = data.settings().load();
        Settings settings = new Settings(model.path, batches, batchSize, seed, data.settings());
        PrintWriter out = spec.commandLine().getOut();
        try (RunFolder folder = output.folder("precise-bn")) {
            return RunCommands.record(folder, "precise-bn", settings, () -> {
                PreciseBnReport report = PreciseBnReport.run(network, trainTest, batches, batchSize, seed);
                folder.writeNetwork("precise-bn.zip", network);
                folder.writeJson("precise-bn.json", report);
                print(out, report);
                out.println("results: " + folder.path());
                return Status.DONE;
            });
        }
    }

    private static void print(PrintWriter out, PreciseBnReport r) {
        out.printf("%-20s %8s %8s%n", "BN statistics", "val_loss", "val_acc");
        out.printf(Locale.ROOT, "%-20s %8.4f %8.4f%n", "running (training)", r.before().loss(), r.before().accuracy());
        out.printf(Locale.ROOT, "%-20s %8.4f %8.4f%n", "precise", r.after().loss(), r.after().accuracy());
        out.printf("precise statistics from %d training examples in %d batches%n", r.recomputed().examples(),
                r.recomputed().batches());
        out.printf("%8s %8s %22s %22s%n", "BN layer", "features", "max |mean shift|/sigma", "running/precise sigma");
        for (PreciseBn.LayerChange layer : r.recomputed().layers()) {
            out.printf(Locale.ROOT, "%8d %8d %22.3f %22s%n", layer.layer(), layer.features(), layer.maxMeanShift(),
                    String.format(Locale.ROOT, "%.3f-%.3f", layer.minSigmaRatio(), layer.maxSigmaRatio()));
        }
    }
}
