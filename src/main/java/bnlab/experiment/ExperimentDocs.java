package bnlab.experiment;

import bnlab.BadInputException;
import bnlab.Json;
import bnlab.report.MarkdownTable;
import bnlab.report.RunFolder;
import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The docs made from experiments' findings, so that they cannot drift from them: each
 * experiment's committed results ({@code docs/results/NAME/findings.md} and
 * {@code findings.json}, its charts in {@code docs/figures/NAME/}) make
 * {@code docs/EXPERIMENTS.md} and, in the README's table of claims, each row's run, what it
 * measured and its verdicts.
 */
public final class ExperimentDocs {

    static final String RESULTS = "results";
    static final String FIGURES = "figures";
    private static final String FINDINGS_MD = "findings.md";
    private static final String FINDINGS_JSON = "findings.json";
    /**
     * A row of the README's table of claims: the claim, its experiment's link (and the run),
     * what the run measured, the verdict.
     */
    private static final Pattern CLAIM_ROW = Pattern.compile(
            "^(\\| [^|]+ \\| \\[`([a-z-]+)`\\]\\([^)]*\\))[^|]* \\| [^|]* \\| [^|]* \\|$", Pattern.MULTILINE);

    private ExperimentDocs() {
    }

    /** Copies a finished experiment's findings and charts from {@code runFolder} into {@code docs}. */
    public static void add(Path runFolder, Path docs) {
        JsonNode findings = read(runFolder.resolve(FINDINGS_JSON));
        String name = findings.path("experiment").asText();
        Path results = docs.resolve(RESULTS).resolve(name);
        Path figures = docs.resolve(FIGURES).resolve(name);
        try {
            Files.createDirectories(results);
            Files.createDirectories(figures);
            for (String file : List.of(FINDINGS_MD, FINDINGS_JSON)) {
                copy(runFolder.resolve(file), results.resolve(file));
            }
            try (Stream<Path> files = Files.list(runFolder)) {
                for (Path chart : files.filter(f -> f.getFileName().toString().endsWith(".png")).toList()) {
                    copy(chart, figures.resolve(chart.getFileName()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** docs/EXPERIMENTS.md: every experiment with committed results, in the order of {@link Experiments}. */
    public static String experimentsPage(Path docs) {
        List<Experiments> done = withResults(docs);
        StringBuilder page = new StringBuilder("""
                # Experiments: what bnlab measured

                Each section is the `findings.md` an experiment wrote, with the command that produced it.
                This page is made from them by the `docs` command, and a test checks that it is. Runs
                marked *quick* used the reduced version (a subset of MNIST, fewer epochs); the others ran
                with the experiment's defaults on full MNIST, unless their command says otherwise. Re-run
                any of them with its command; add `--ui` to watch it. All figures are validation figures
                on the 10,000 MNIST test images unless a table says otherwise; ± is the standard deviation
                over seeds.

                """);
        List<String> quickOnly = done.stream().filter(e -> command(docs, e).contains("--quick"))
                .map(e -> "`" + e + "`").toList();
        if (!quickOnly.isEmpty()) {
            page.append("Only a quick run so far: ").append(String.join(", ", quickOnly)).append(".\n\n");
        }
        MarkdownTable runs = MarkdownTable.of("experiment", "run");
        for (Experiments experiment : done) {
            runs.row("[" + experiment + "](#" + experiment + ")", runDescription(command(docs, experiment)));
        }
        page.append(runs);
        for (Experiments experiment : done) {
            page.append(String.format(Locale.ROOT, "%n## %s%n%n`./mvnw -q exec:java -Dexec.args=\"%s\"`%n%n", experiment,
                    command(docs, experiment)));
            page.append(sectionOf(docs, experiment));
        }
        return page.toString();
    }

    /**
     * {@code readme} with each row of its table of claims made, after the claim and the
     * experiment's link, from the findings of that experiment: the run's settings, the figures
     * that decided each verdict, the verdicts. Rows of experiments without committed results are
     * left as they are.
     */
    public static String readme(String readme, Path docs) {
        List<Experiments> done = withResults(docs);
        Matcher row = CLAIM_ROW.matcher(readme);
        StringBuilder updated = new StringBuilder();
        while (row.find()) {
            Experiments experiment = Experiments.valueOf(row.group(2).toUpperCase(Locale.ROOT).replace('-', '_'));
            String made = done.contains(experiment)
                    ? row(row.group(1), read(findingsJson(docs, experiment)))
                    : row.group(0);
            row.appendReplacement(updated, Matcher.quoteReplacement(made));
        }
        row.appendTail(updated);
        return updated.toString();
    }

    private static String row(String claimAndLink, JsonNode findings) {
        return claimAndLink + " (" + findings.path("settings").asText() + ") | " + measuredCell(findings) + " | "
                + verdictCell(findings) + " |";
    }

    /**
     * "final validation accuracy: bn_before 0.9791 ± 0.0009, bn_after 0.9781 ± 0.0023": the
     * figure each verdict compared, claimed better side first, each verdict's claim before it
     * when there are several.
     */
    static String measuredCell(JsonNode findings) {
        JsonNode verdicts = findings.path("verdicts");
        List<String> cells = new ArrayList<>();
        for (JsonNode verdict : verdicts) {
            JsonNode evidence = verdict.path("evidence");
            String context = verdict.path("context").asText();
            cells.add((verdicts.size() > 1 ? verdict.path("claim").asText() + ", " : "")
                    + evidence.path("figure").asText() + ": " + side(evidence.path("claimed_better")) + ", "
                    + side(evidence.path("claimed_worse")) + (context.isEmpty() ? "" : " (" + context + ")"));
        }
        return String.join("; ", cells);
    }

    private static String side(JsonNode side) {
        JsonNode figure = side.path("figure");
        return side.path("variant").asText() + " " + plain(figure.path("mean")) + " ± " + plain(figure.path("sd"));
    }

    /** To 4 decimal places as findings.md writes figures, and 0.0009 rather than 9.0E-4. */
    private static String plain(JsonNode number) {
        return number.decimalValue().setScale(4, RoundingMode.HALF_EVEN).stripTrailingZeros().toPlainString();
    }

    /** "BN before the activation beats BN after it: not shown; ...": each verdict's claim and outcome. */
    static String verdictCell(JsonNode findings) {
        List<String> verdicts = new ArrayList<>();
        for (JsonNode verdict : findings.path("verdicts")) {
            Outcome outcome = Outcome.valueOf(verdict.path("outcome").asText().toUpperCase(Locale.ROOT));
            verdicts.add(verdict.path("claim").asText() + ": " + outcome.words());
        }
        return String.join("; ", verdicts);
    }

    /** "full MNIST, the experiment's defaults", or "quick (`--quick --seeds 2`)" */
    private static String runDescription(String command) {
        String options = command.replaceFirst("^experiment \\S+ ?", "");
        if (options.isEmpty()) {
            return "full MNIST, the experiment's defaults";
        }
        return (options.contains("--quick") ? "quick" : "full MNIST") + " (`" + options + "`)";
    }

    /** The findings.md of an experiment without its title, its charts where the docs keep them. */
    private static String sectionOf(Path docs, Experiments experiment) {
        String findings = readString(docs.resolve(RESULTS).resolve(experiment.toString()).resolve(FINDINGS_MD));
        String withoutTitle = findings.substring(findings.indexOf('\n') + 1).stripLeading();
        return withoutTitle.replaceAll("\\]\\(([^/)]+\\.png)\\)", "](" + FIGURES + "/" + experiment + "/$1)");
    }

    private static List<Experiments> withResults(Path docs) {
        return Stream.of(Experiments.values()).filter(e -> Files.exists(findingsJson(docs, e))).toList();
    }

    private static String command(Path docs, Experiments experiment) {
        return read(findingsJson(docs, experiment)).path("command").asText();
    }

    private static Path findingsJson(Path docs, Experiments experiment) {
        return docs.resolve(RESULTS).resolve(experiment.toString()).resolve(FINDINGS_JSON);
    }

    private static JsonNode read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new BadInputException(file + ": not found; an experiment's run folder has it once it finished");
        }
        try {
            return Json.MAPPER.readTree(file.toFile());
        } catch (IOException e) {
            throw new BadInputException(file + ": not readable findings (" + e.getMessage() + ")", e);
        }
    }

    private static String readString(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void copy(Path from, Path to) {
        RunFolder.writeAtomically(to, out -> Files.copy(from, out));
    }
}
