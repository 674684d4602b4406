package bnlab.cli;

import bnlab.bench.Benchmark;
import bnlab.bench.Benchmark.Result;
import bnlab.bench.Benchmark.Variant;
import bnlab.data.DataSettings;
import bnlab.data.TrainTest;
import bnlab.model.BuiltInModel;
import bnlab.report.RunFolder;
import bnlab.cpu.CpuTuning;
import bnlab.train.Status;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Time training and inference of models in this process and write bench.json. Training is timed "
                + "over " + Benchmark.EXAMPLES_PER_REPEAT + " examples per repeat after as many of warm-up; inference "
                + "over the 10,000 test images in batches of " + Benchmark.INFERENCE_BATCH_SIZE + ".")
final class BenchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--models", split = ",", defaultValue = "mlp,mlp_bn,cnn_bn", paramLabel = "NAME",
            description = "models to time, from ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})")
    List<BuiltInModel> models;

    @Option(names = "--batch-sizes", split = ",", defaultValue = "32,128", paramLabel = "N",
            converter = PositiveInt.class, description = "training batch sizes (default: ${DEFAULT-VALUE})")
    List<Integer> batchSizes;

    @Option(names = "--repeats", defaultValue = "5", paramLabel = "N", converter = PositiveInt.class,
            description = "timed repeats of each figure (default: ${DEFAULT-VALUE})")
    int repeats;

    @Option(names = "--variants", split = ",", defaultValue = "tuned", paramLabel = "NAME",
            description = "any of tuned (bnlab's settings), stock (DL4J's), stats (tuned, reporting to the dashboard "
                    + "as every run does), gradients (tuned, recording gradient norms), helperless (tuned without "
                    + "DL4J's oneDNN layer helpers), dl4j_bn (tuned with DL4J's own oneDNN BN helper) and dl4j_updater "
                    + "(tuned with DL4J's own updater), interleaved (default: ${DEFAULT-VALUE})")
    List<Variant> variants;

    @Mixin
    OutputOptions output;

    record Settings(List<BuiltInModel> models, List<Integer> batchSizes, int repeats, List<Variant> variants,
                    Map<String, String> nativeBuild) {
    }

    @Override
    public Integer call() {
        TrainTest data = DataSettings.mnist().load();
        Settings settings = new Settings(models, batchSizes, repeats, variants, Map.of(
                "platform_extension", System.getProperty("org.bytedeco.javacpp.platform.extension", ""),
                "onednn_build_loaded", String.valueOf(CpuTuning.oneDnnBuildLoaded()),
                "openblas_core", CpuTuning.openBlasCore()));
        PrintWriter out = spec.commandLine().getOut();
        try (RunFolder folder = output.folder("bench")) {
            return RunCommands.record(folder, "bench", settings, () -> {
                out.printf("%-8s %5s %-6s %28s %8s %28s%n", "model", "batch", "how", "train examples/s [min-max]",
                        "epoch s", "infer examples/s [min-max]");
                List<Result> results = new ArrayList<>();
                for (BuiltInModel model : models) {
                    for (int batchSize : batchSizes) {
                        for (Result r : Benchmark.measure(model.toString(), model.configuration(1), batchSize, variants,
                                repeats, data)) {
                            results.add(r);
                            out.printf(Locale.ROOT, "%-8s %5d %-6s %28s %8.1f %28s%n", r.model(), r.batchSize(),
                                    r.variant(), r.trainExamplesPerSecond().rounded(), r.epochSeconds(),
                                    r.inferExamplesPerSecond().rounded());
                            out.flush();
                        }
                        folder.writeJson("bench.json", Map.of("settings", settings, "results", results));
                    }
                }
                out.println("results: " + folder.path());
                return Status.DONE;
            });
        }
    }
}
