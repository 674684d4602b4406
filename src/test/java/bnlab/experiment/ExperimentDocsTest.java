package bnlab.experiment;

import bnlab.TestData;
import bnlab.data.DataSettings;
import bnlab.data.KnownDataset;
import bnlab.report.RunFolder;
import bnlab.train.Console;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The docs are what the committed findings make, and a finished run's findings reach them. */
class ExperimentDocsTest {

    private static final Path DOCS = Path.of("docs");
    private static final Path README = Path.of("README.md");

    @TempDir
    Path dir;

    @Test
    void theCommittedDocsAreWhatTheCommittedFindingsMake() throws IOException {
        assertEquals(ExperimentDocs.experimentsPage(DOCS), Files.readString(DOCS.resolve("EXPERIMENTS.md")),
                "docs/EXPERIMENTS.md: run the 'docs' command");
        String readme = Files.readString(README);
        assertEquals(ExperimentDocs.readme(readme, DOCS), readme, "README.md's verdicts: run the 'docs' command");
    }

    @Test
    void theReadmeStatesEachExperimentsFiguresAndVerdictsAsItsFindingsDo() throws IOException {
        String readme = Files.readString(README);
        for (Experiments experiment : Experiments.values()) {
            Path findings = DOCS.resolve("results").resolve(experiment.toString()).resolve("findings.json");
            JsonNode json = bnlab.Json.MAPPER.readTree(findings.toFile());
            String cells = " | " + ExperimentDocs.measuredCell(json) + " | " + ExperimentDocs.verdictCell(json) + " |";
            assertTrue(readme.contains("[`" + experiment + "`]") && readme.contains(cells), experiment + ":" + cells);
        }
    }

    @Test
    void aFinishedRunsFindingsAndChartsReachTheDocs() throws IOException {
        ExperimentSettings settings = new Placement().quick()
                .withData(new DataSettings(KnownDataset.MNIST, null, 600)).withEpochs(1);
        Path run = dir.resolve("run");
        Findings findings;
        try (RunFolder folder = RunFolder.open(run)) {
            findings = Experiments.PLACEMENT.run(Experiments.PLACEMENT.experiment().plan(settings, TestData.mnist(600, 1000)),
                    Console.none(), folder,
                    RunTraining.here(Console.none(), folder, null));
        }
        Path docs = dir.resolve("docs");
        Files.createDirectories(docs);
        ExperimentDocs.add(run, docs);

        assertTrue(Files.exists(docs.resolve("figures/placement/placement.png")));
        String page = ExperimentDocs.experimentsPage(docs);
        assertTrue(page.contains("| [placement](#placement) | quick (`--quick --limit 600 --epochs 1`) |"), page);
        assertTrue(page.contains("`./mvnw -q exec:java -Dexec.args=\"experiment placement --quick --limit 600 "
                + "--epochs 1\"`"), page);
        assertTrue(page.contains("**Verdict:** " + findings.brief()), page);
        assertTrue(page.contains("](figures/placement/placement.png)"), page);

        String link = "| BN works better before the activation | [`placement`](docs/figures/placement/placement.png)";
        String row = ExperimentDocs.readme(link + " (quick) | bn_before 0.93 | holds |", docs);
        assertTrue(row.startsWith(link + " (" + settings.describe() + ") | final validation accuracy: bn_before 0."), row);
        assertTrue(row.contains(", bn_after 0."), row);
        assertTrue(row.endsWith(" | " + findings.verdicts().get(0).brief() + " |"), row);
    }
}
