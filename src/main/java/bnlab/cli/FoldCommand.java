package bnlab.cli;

import bnlab.bench.FoldReport;
import bnlab.data.DataSettings;
import bnlab.data.TrainTest;
import bnlab.infer.BnFolding;
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

@Command(name = "fold", mixinStandardHelpOptions = true,
        description = "Fold each BatchNormalization into the Dense or Convolution layer before it, for inference. "
                + "Writes folded.zip and fold.json: layers and parameters before and after, the largest output "
                + "difference on MNIST's 10,000 test images, and the inference speed of both networks on them, "
                + "measured interleaved.")
final class FoldCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ModelZip model;

    @Option(names = "--repeats", defaultValue = "5", paramLabel = "N", converter = PositiveInt.class,
            description = "timed inference passes over the test set per network (default: ${DEFAULT-VALUE})")
    int repeats;

    @Mixin
    OutputOptions output;

    record Settings(Path model, int repeats) {
    }

    @Override
    public Integer call() {
        MultiLayerNetwork original = model.network();
        BnFolding.Folded folded = model.checked(() -> BnFolding.fold(original));
        // Folding does not depend on the data: any images the network takes show whether outputs agree.
        TrainTest testData = DataSettings.mnist().load();
        Settings settings = new Settings(model.path, repeats);
        PrintWriter out = spec.commandLine().getOut();
        try (RunFolder folder = output.folder("fold")) {
            return RunCommands.record(folder, "fold", settings, () -> {
                FoldReport report = FoldReport.measure(original, folded, testData, repeats);
                folder.writeNetwork("folded.zip", folded.network());
                folder.writeJson("fold.json", report);
                print(out, report);
                out.println("results: " + folder.path());
                return Status.DONE;
            });
        }
    }

    private static void print(PrintWriter out, FoldReport r) {
        out.printf("%-9s %6s %9s %28s%n", "network", "layers", "params", "infer examples/s [min-max]");
        out.printf("%-9s %6d %9d %28s%n", "original", r.layersBefore(), r.paramsBefore(), r.originalExamplesPerSecond().rounded());
        out.printf("%-9s %6d %9d %28s%n", "folded", r.layersAfter(), r.paramsAfter(), r.foldedExamplesPerSecond().rounded());
        out.printf(Locale.ROOT, "speed-up %.2fx (ratio of medians); max |output difference| %.2g and %d changed "
                        + "predictions on %d test images%n", r.speedUp(), r.maxAbsDifference(), r.predictionsChanged(),
                r.testExamples());
        for (BnFolding.Fold fold : r.folds()) {
            out.printf("BN layer %d folded into layer %d%s%n", fold.batchNormalization(), fold.into(),
                    fold.activation() == null ? "" : ", with the activation of layer " + fold.activation());
        }
    }
}
