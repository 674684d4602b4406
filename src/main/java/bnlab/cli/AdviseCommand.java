package bnlab.cli;

import bnlab.Json;
import bnlab.advise.Advice;
import bnlab.model.ModelFiles;
import com.fasterxml.jackson.core.JsonProcessingException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.util.OptionalInt;
import java.util.concurrent.Callable;

@Command(name = "advise", mixinStandardHelpOptions = true,
        description = "Check a model against BatchNormalization's best practices and DL4J's traps around it, and "
                + "print each finding with its layer, the problem, why it matters and the fix. Exit code 0 when "
                + "nothing is found, 1 when something is. Reads only; writes no run folder.")
final class AdviseCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "MODEL",
            description = "a built-in model (mlp, mlp_bn, cnn_bn ...), a DL4J model zip or a MultiLayerConfiguration "
                    + "JSON file")
    String model;

    @Option(names = "--batch-size", paramLabel = "N", converter = PositiveInt.class,
            description = "the training batch size, checked too when given")
    Integer batchSize;

    @Option(names = "--json", description = "print the findings as JSON, for tools")
    boolean json;

    @Override
    public Integer call() throws JsonProcessingException {
        Advice advice = Advice.of(model, ModelFiles.configuration(model),
                batchSize == null ? OptionalInt.empty() : OptionalInt.of(batchSize));
        PrintWriter out = spec.commandLine().getOut();
        out.print(json ? Json.MAPPER.writeValueAsString(advice) + "\n" : advice.text());
        out.flush();
        return advice.clean() ? 0 : Main.FOUND_PROBLEM;
    }
}
