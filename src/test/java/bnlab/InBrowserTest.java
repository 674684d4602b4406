package bnlab;

import bnlab.cli.Main;
import bnlab.experiment.Runner;
import bnlab.model.BuiltInModel;
import bnlab.report.RunFolder;
import bnlab.train.Console;
import bnlab.train.History;
import bnlab.train.RunName;
import bnlab.train.Status;
import bnlab.train.TrainingSettings;
import bnlab.ui.Dashboard;
import bnlab.ui.TrainingStats;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.JavascriptException;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What bnlab shows a person, in a real browser: DL4J's dashboard while a model trains, and a
 * run's index.html. The browser is Debian's headless chromium, driven by Selenium through
 * Debian's chromedriver (packages chromium and chromium-driver), so nothing is downloaded.
 */
class InBrowserTest {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    /** How long a page may take to show what a test waits for: a guard against a hang, far above a busy machine's times. */
    private static final Duration PAGE_TIMEOUT = Duration.ofMinutes(2);
    private static final Path SCREENSHOTS = Path.of("target", "screenshots");

    private static ChromeDriver browser;

    @BeforeAll
    static void startBrowser() {
        for (Path binary : List.of(CHROMIUM, CHROMEDRIVER)) {
            if (!Files.isExecutable(binary)) {
                throw new AssertionError(binary + " not found: these tests need a real browser, from the Debian packages "
                        + "chromium and chromium-driver (.ci/run installs them)");
            }
        }
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile())
                .addArguments("--headless", "--no-sandbox", "--disable-gpu", "--window-size=1280,1000");
        browser = new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .build(), options);
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    /** Holds training at one iteration until released, so that the browser looks at a session in training. */
    private static final class Pause extends BaseTrainingListener {

        final CompletableFuture<Void> reached = new CompletableFuture<>();
        final CountDownLatch released = new CountDownLatch(1);
        private final int iteration;

        Pause(int iteration) {
            this.iteration = iteration;
        }

        @Override
        public void iterationDone(Model model, int iteration, int epoch) {
            if (iteration == this.iteration) {
                reached.complete(null);
                try {
                    released.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    @Test
    void dashboardShowsTheScoreChartOfTheSessionInTrainingAndBnRunningStatisticsAsParameters(@TempDir Path dir)
            throws Exception {
        // Three reports to the dashboard before the pause: at every REPORTING_FREQUENCY iterations from the first on.
        int pausedAt = 3 * TrainingStats.REPORTING_FREQUENCY + 1;
        Pause pause = new Pause(pausedAt);
        try (RunFolder folder = RunFolder.open(dir.resolve("live"));
             Dashboard dashboard = Dashboard.start(Dashboard.LOOPBACK, 0)) {
            dashboard.show(folder.stats().storage());
            Runner runner = new Runner(folder, Console.none(), "settings", histories -> {
            }, pause);
            CompletableFuture<List<History>> training = CompletableFuture.supplyAsync(() -> runner.run(List.of(
                    new Runner.Run(RunName.of("mlp_bn"), BuiltInModel.MLP_BN.configuration(1), new TrainingSettings(1, 32, 1))),
                    TestData.mnist().limitTrain(32 * (pausedAt + 10))).histories());
            try {
                CompletableFuture.anyOf(pause.reached, training).join();
                assertTrue(pause.reached.isDone(), "training reached iteration " + pausedAt);
                String session = TrainingStats.sessionId(folder.path(), "mlp_bn");

                browser.get(dashboard.url(session));
                waitUntil("(() => { const plot = $('#scoreiterchart').data('plot');"
                        + " return !!plot && plot.getData().some(series => series.data.length >= 3); })()",
                        "score chart with points", "dashboard-overview-failed.png");
                screenshot("dashboard-overview.png");

                int bnLayer = firstBatchNormalizationVertex(session);
                List<String> parameters = strings(evaluate("fetch('/train/" + session + "/model/data/" + bnLayer
                        + "').then(response => response.json()).then(data => Object.keys(data.meanMag.paramMM).sort())"));
                // The running variance is kept as log10 of the standard deviation (DL4J's default, useLogStd).
                assertEquals(List.of("beta", "gamma", "log10stdev", "mean"), parameters,
                        "the BN layer's parameters on the model page");

                browser.get(dashboard.url() + "/" + session + "/model");
                waitUntil("document.readyState === 'complete' && typeof setSelectedVertex === 'function'",
                        "model page", "dashboard-model-failed.png");
                browser.executeScript("setSelectedVertex(" + bnLayer + "); setSelectMeanMagChart('paramMM');"
                        + " renderModelPage(true);");
                waitUntil("(() => { const plot = $('#meanmag').data('plot'); return !!plot"
                        + " && plot.getData().map(series => series.label).includes('log10stdev'); })()",
                        "mean magnitudes of the BN layer's parameters", "dashboard-model-failed.png");
                screenshot("dashboard-model-bn-layer.png");
            } finally {
                pause.released.countDown();
            }
            assertEquals(Status.DONE, training.get().get(0).status());
        }
    }

    @Test
    void runReportOpensFromTheDiskWithoutAServer(@TempDir Path dir) throws Exception {
        Path run = dir.resolve("compare");
        StringWriter out = new StringWriter();
        int code = Main.run(new PrintWriter(out, true), new PrintWriter(out, true), "compare", "--models", "mlp,mlp_bn",
                "--limit", "320", "--epochs", "2", "--out", run.toString());
        assertEquals(0, code, out.toString());

        browser.get(run.resolve("index.html").toUri().toString());
        waitUntil("document.readyState === 'complete' && [...document.images].every(image => image.naturalWidth > 0)",
                "page with its charts", "index-html-failed.png");
        screenshot("index-html.png");
        assertEquals("bnlab compare · compare", browser.getTitle());
        assertEquals("done", evaluate("document.querySelector('.status b').textContent"));
        assertEquals(4L, evaluate("document.querySelectorAll('#epochs tbody tr').length"), "two epochs of two models");
        assertEquals(List.of("comparison.png"), strings(evaluate(
                "[...document.querySelectorAll('#charts img')].map(image => image.getAttribute('src'))")));
        assertTrue(((String) evaluate("document.querySelector('#settings').textContent"))
                .contains("settings.training.batch_size"), "settings are listed");
    }

    /** The vertex index the model page knows the first BatchNormalization layer by. */
    private static int firstBatchNormalizationVertex(String session) {
        List<String> types = strings(evaluate("fetch('/train/" + session + "/model/graph')"
                + ".then(response => response.json()).then(graph => graph.vertexTypes)"));
        int index = types.indexOf("BatchNormalization");
        assertTrue(index >= 0, "no BatchNormalization layer in the model graph: " + types);
        return index;
    }

    /** The value of a JavaScript expression in the page; WebDriver awaits it if it is a promise. */
    private static Object evaluate(String expression) {
        return browser.executeScript("return " + expression + ";");
    }

    /**
     * Evaluates {@code expression} until it is true (while the page loads it may also throw); at
     * the deadline, saves the page to {@code failureScreenshot} and fails with {@code what}.
     */
    private static void waitUntil(String expression, String what, String failureScreenshot) throws IOException {
        try {
            new WebDriverWait(browser, PAGE_TIMEOUT).ignoring(JavascriptException.class)
                    .until(driver -> Boolean.TRUE.equals(evaluate(expression)));
        } catch (TimeoutException e) {
            screenshot(failureScreenshot);
            throw new AssertionError("no " + what + " after " + PAGE_TIMEOUT.toSeconds() + " s (the page is in "
                    + SCREENSHOTS.resolve(failureScreenshot) + ")", e);
        }
    }

    /** Saves the whole page, not only the window's part of it, as a PNG: Chrome's DevTools can, WebDriver cannot. */
    @SuppressWarnings("unchecked")
    private static void screenshot(String name) throws IOException {
        Map<String, Object> size = (Map<String, Object>) browser.executeCdpCommand("Page.getLayoutMetrics", Map.of())
                .get("cssContentSize");
        Map<String, Object> wholePage = Map.of("x", 0, "y", 0, "scale", 1, "width", size.get("width"),
                "height", size.get("height"));
        Map<String, Object> shot = browser.executeCdpCommand("Page.captureScreenshot", Map.of("format", "png",
                "clip", wholePage, "captureBeyondViewport", true));
        Files.createDirectories(SCREENSHOTS);
        Files.write(SCREENSHOTS.resolve(name), Base64.getDecoder().decode((String) shot.get("data")));
    }

    @SuppressWarnings("unchecked")
    private static List<String> strings(Object array) {
        return (List<String>) array;
    }
}
