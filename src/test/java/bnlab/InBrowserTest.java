package bnlab;

import bnlab.cli.Main;
import bnlab.experiment.Runner;
import bnlab.model.BuiltInModel;
import bnlab.report.RunFolder;
import bnlab.train.Console;
import bnlab.train.History;
import bnlab.train.Status;
import bnlab.train.TrainingSettings;
import bnlab.ui.Dashboard;
import bnlab.ui.TrainingStats;
import com.fasterxml.jackson.databind.JsonNode;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What bnlab shows a person, in a real browser: DL4J's dashboard while a model trains, and a run's index.html. */
class InBrowserTest {

    private static final Duration PAGE_TIMEOUT = Duration.ofSeconds(30);
    private static final Path SCREENSHOTS = Path.of("target", "screenshots");

    @TempDir
    static Path dir;

    private static Chromium browser;

    @BeforeAll
    static void startBrowser() throws Exception {
        browser = Chromium.start(Files.createDirectory(dir.resolve("profile")));
    }

    @AfterAll
    static void stopBrowser() throws Exception {
        if (browser != null) {
            browser.close();
        }
    }

    /** Holds training at one iteration until released, so that the browser looks at a session in training. */
    private static final class Pause extends BaseTrainingListener {

        final CountDownLatch reached = new CountDownLatch(1);
        final CountDownLatch released = new CountDownLatch(1);
        private final int iteration;

        Pause(int iteration) {
            this.iteration = iteration;
        }

        @Override
        public void iterationDone(Model model, int iteration, int epoch) {
            if (iteration == this.iteration) {
                reached.countDown();
                try {
                    released.await(2, TimeUnit.MINUTES);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    @Test
    void dashboardShowsTheScoreChartOfTheSessionInTrainingAndBnRunningStatisticsAsParameters() throws Exception {
        // Three reports to the dashboard before the pause: at every REPORTING_FREQUENCY iterations from the first on.
        int pausedAt = 3 * TrainingStats.REPORTING_FREQUENCY + 1;
        Pause pause = new Pause(pausedAt);
        try (RunFolder folder = RunFolder.open(dir.resolve("live"));
             Dashboard dashboard = Dashboard.start(Dashboard.LOOPBACK, 0)) {
            dashboard.show(folder.stats().storage());
            Runner runner = new Runner(folder, Console.none(), "settings", histories -> {
            });
            CompletableFuture<List<History>> training = CompletableFuture.supplyAsync(() -> runner.run(List.of(
                    new Runner.Run("mlp_bn", BuiltInModel.MLP_BN.configuration(1), new TrainingSettings(1, 32, 1),
                            List.of(pause))), TestData.mnist().limitTrain(32 * (pausedAt + 10))));
            try {
                assertTrue(pause.reached.await(2, TimeUnit.MINUTES), "training reached iteration " + pausedAt);
                String session = TrainingStats.sessionId(folder.path(), "mlp_bn");

                browser.open(dashboard.url(session));
                browser.waitUntil("(() => { const plot = $('#scoreiterchart').data('plot');"
                                + " return !!plot && plot.getData().some(series => series.data.length >= 3); })()",
                        PAGE_TIMEOUT, "score chart with points", SCREENSHOTS.resolve("dashboard-overview-failed.png"));
                browser.screenshot(SCREENSHOTS.resolve("dashboard-overview.png"));

                int bnLayer = firstBatchNormalizationVertex(session);
                JsonNode parameters = browser.evaluate("fetch('/train/" + session + "/model/data/" + bnLayer
                        + "').then(response => response.json()).then(data => Object.keys(data.meanMag.paramMM))");
                // The running variance is kept as log10 of the standard deviation (DL4J's default, useLogStd).
                assertEquals(List.of("beta", "gamma", "log10stdev", "mean"), sorted(parameters),
                        "the BN layer's parameters on the model page");

                browser.open(dashboard.url() + "/" + session + "/model");
                browser.waitUntil("document.readyState === 'complete' && typeof setSelectedVertex === 'function'",
                        PAGE_TIMEOUT, "model page", SCREENSHOTS.resolve("dashboard-model-failed.png"));
                browser.evaluate("setSelectedVertex(" + bnLayer + "); setSelectMeanMagChart('paramMM');"
                        + " renderModelPage(true); true");
                browser.waitUntil("(() => { const plot = $('#meanmag').data('plot'); return !!plot"
                                + " && plot.getData().map(series => series.label).includes('log10stdev'); })()",
                        PAGE_TIMEOUT, "mean magnitudes of the BN layer's parameters",
                        SCREENSHOTS.resolve("dashboard-model-failed.png"));
                browser.screenshot(SCREENSHOTS.resolve("dashboard-model-bn-layer.png"));
            } finally {
                pause.released.countDown();
            }
            assertEquals(Status.DONE, training.get(2, TimeUnit.MINUTES).get(0).status());
        }
    }

    @Test
    void runReportOpensFromTheDiskWithoutAServer() throws Exception {
        Path run = dir.resolve("compare");
        StringWriter out = new StringWriter();
        int code = Main.run(new PrintWriter(out, true), new PrintWriter(out, true), "compare", "--models", "mlp,mlp_bn",
                "--limit", "320", "--epochs", "2", "--out", run.toString());
        assertEquals(0, code, out.toString());

        browser.open(run.resolve("index.html").toUri().toString());
        browser.waitUntil("document.readyState === 'complete' && [...document.images].every(image => image.naturalWidth > 0)",
                PAGE_TIMEOUT, "page with its charts", SCREENSHOTS.resolve("index-html-failed.png"));
        browser.screenshot(SCREENSHOTS.resolve("index-html.png"));
        assertEquals("bnlab compare · compare", browser.evaluate("document.title").asText());
        assertEquals("done", browser.evaluate("document.querySelector('.status b').textContent").asText());
        assertEquals(4, browser.evaluate("document.querySelectorAll('#epochs tbody tr').length").asInt(),
                "two epochs of two models");
        assertEquals(List.of("comparison.png"), texts(browser.evaluate(
                "[...document.querySelectorAll('#charts img')].map(image => image.getAttribute('src'))")));
        assertTrue(browser.evaluate("document.querySelector('#settings').textContent").asText()
                .contains("settings.training.batch_size"), "settings are listed");
    }

    /** The vertex index the model page knows the first BatchNormalization layer by. */
    private static int firstBatchNormalizationVertex(String session) throws Exception {
        JsonNode types = browser.evaluate("fetch('/train/" + session + "/model/graph')"
                + ".then(response => response.json()).then(graph => graph.vertexTypes)");
        for (int i = 0; i < types.size(); i++) {
            if (types.get(i).asText().equals("BatchNormalization")) {
                return i;
            }
        }
        throw new AssertionError("no BatchNormalization layer in the model graph: " + types);
    }

    private static List<String> texts(JsonNode strings) {
        List<String> list = new ArrayList<>();
        strings.forEach(s -> list.add(s.asText()));
        return list;
    }

    private static List<String> sorted(JsonNode strings) {
        List<String> list = texts(strings);
        list.sort(null);
        return list;
    }
}
