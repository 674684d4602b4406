package bnlab.cli;

import bnlab.experiment.Compare;
import bnlab.model.BuiltInModel;
import bnlab.report.RunFolder;
import bnlab.report.Summary;
import bnlab.train.Console;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "compare", mixinStandardHelpOptions = true,
        description = "Train models side by side, by default the tutorial's MLP without and with BatchNormalization, "
                + "and write history.csv, iterations.csv, summary.json and comparison.png.")
final class CompareCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--models", split = ",", defaultValue = "mlp,mlp_bn", paramLabel = "NAME",
            description = "models to train, from ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})")
    List<BuiltInModel> models;

    @Mixin
    DataOptions data;

    @Mixin
    TrainingOptions training;

    @Mixin
    OutputOptions output;

    @Override
    public Integer call() {
        Compare.Settings settings = new Compare.Settings(models, data.settings(), training.settings());
        RunFolder out = output.folder("compare");
        PrintWriter console = spec.commandLine().getOut();
        Summary summary = Compare.run(settings, new Console(console, System.console() != null), out);
        console.println();
        console.print(summary.table());
        console.println("results: " + out.path());
        console.flush();
        return 0;
    }
}
