package bnlab.cli;

import bnlab.BadInputException;
import bnlab.experiment.ExperimentDocs;
import bnlab.report.RunFolder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "docs", mixinStandardHelpOptions = true,
        description = "Make docs/EXPERIMENTS.md and the rows (run, figures, verdicts) of the README's table of claims from the "
                + "experiments' committed findings (docs/results/NAME/), after adding the findings and charts of "
                + "the experiment run folders given. With --check, write nothing and exit 1 if the docs are not "
                + "what the findings make.")
final class DocsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "RUN_DIR", arity = "0..*",
            description = "finished experiment run folders whose findings and charts replace the committed ones")
    List<Path> runs = List.of();

    @Option(names = "--docs", paramLabel = "DIR", defaultValue = "docs",
            description = "the docs folder (default: ${DEFAULT-VALUE})")
    Path docs;

    @Option(names = "--readme", paramLabel = "FILE", defaultValue = "README.md",
            description = "the README whose table of claims gets the verdicts (default: ${DEFAULT-VALUE})")
    Path readme;

    @Option(names = "--check", description = "only check that the docs are what the findings make")
    boolean check;

    @Override
    public Integer call() {
        if (!Files.isDirectory(docs)) {
            throw new BadInputException(docs + ": not a folder; run from the project folder or give --docs");
        }
        if (!Files.isRegularFile(readme)) {
            throw new BadInputException(readme + ": not found; run from the project folder or give --readme");
        }
        if (check && !runs.isEmpty()) {
            throw new BadInputException("--check adds no run folders; give them without --check");
        }
        runs.forEach(run -> ExperimentDocs.add(run, docs));
        Path experiments = docs.resolve("EXPERIMENTS.md");
        String page = ExperimentDocs.experimentsPage(docs);
        String readmeText = ExperimentDocs.readme(read(readme), docs);
        PrintWriter out = spec.commandLine().getOut();
        if (check) {
            List<Path> stale = List.of(experiments, readme).stream()
                    .filter(file -> !read(file).equals(file.equals(readme) ? readmeText : page)).toList();
            stale.forEach(file -> out.printf("%s: not what the findings make; run 'docs' to remake it%n", file));
            return stale.isEmpty() ? 0 : Main.FOUND_PROBLEM;
        }
        write(experiments, page);
        write(readme, readmeText);
        out.printf("wrote %s and the table of claims in %s%n", experiments, readme);
        return 0;
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(Path file, String text) {
        RunFolder.writeAtomically(file, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
    }
}
