package bnlab.cli;

import bnlab.ui.TrainingStats;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** --ui on a training command, and 'ui' replaying run folders; the dashboard listens on the loopback interface. */
class DashboardCommandsTest {

    private static final Pattern DASHBOARD = Pattern.compile("dashboard: (http://127\\.0\\.0\\.1:\\d+/train)");
    private static final Pattern SCORES = Pattern.compile("\"scores\"\\s*:\\s*\\[\\s*[-\\d]");
    private static final Duration WAIT = Duration.ofMinutes(2);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path dir;

    /** A command running in the background, printing to a buffer. */
    private static final class Running {

        final StringWriter out = new StringWriter();
        final CompletableFuture<Integer> exit = new CompletableFuture<>();
        final Thread thread;

        Running(String... args) {
            thread = new Thread(() -> exit.complete(Main.run(new PrintWriter(out, true), new PrintWriter(out, true), args)));
            thread.start();
        }

        /** The dashboard's address once printed, or null if the command ended without one. */
        String dashboard() throws InterruptedException {
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (System.nanoTime() < deadline) {
                Matcher printed = DASHBOARD.matcher(out.toString());
                if (printed.find()) {
                    return printed.group(1);
                }
                if (exit.isDone()) {
                    return null;
                }
                Thread.sleep(20);
            }
            return null;
        }

        int exitCode() throws Exception {
            return exit.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        }

        /** Interrupts the command, as Ctrl+C would, and waits for its exit code. */
        int interrupt() throws Exception {
            thread.interrupt();
            return exitCode();
        }
    }

    @Test
    void uiShowsTrainingLiveAndReplaysRunsWithAndWithoutBnTogether() throws Exception {
        Path withBn = dir.resolve("with-bn");
        Running training = new Running(compare(withBn, "mlp_bn", "--ui", "--ui-port", "0"));
        try {
            String live = training.dashboard();
            assertTrue(live != null, "prints the dashboard's address: " + training.out);
            assertEquals(200, get(live).statusCode(), "the dashboard answers while training runs");
        } finally {
            assertEquals(0, training.exitCode(), training.out.toString());
        }
        assertTrue(training.out.toString().contains("dashboard closed; replay it with: bnlab ui " + withBn),
                training.out.toString());
        assertTrue(Files.isRegularFile(withBn.resolve("stats.bin")));
        Path withoutBn = dir.resolve("without-bn");
        assertEquals(0, MainTest.bnlab(compare(withoutBn, "mlp")).code());

        Running replay = new Running("ui", "--ui-port", "0", withBn.toString(), withoutBn.toString());
        int replayExit;
        try {
            String dashboard = replay.dashboard();
            assertTrue(dashboard != null, "prints the dashboard's address: " + replay.out);
            String sessions = get(dashboard).body();
            for (String session : new String[]{TrainingStats.sessionId(withBn, "mlp_bn"),
                    TrainingStats.sessionId(withoutBn, "mlp")}) {
                assertTrue(sessions.contains("/train/" + session), session + " in " + sessions);
                assertTrue(replay.out.toString().contains(dashboard + "/" + session + "/overview"), replay.out.toString());
                String overview = get(dashboard + "/" + session + "/overview/data").body();
                assertTrue(SCORES.matcher(overview).find(), session + " has scores: " + overview);
            }
        } finally {
            replayExit = replay.interrupt();
        }
        assertEquals(0, replayExit, "interrupted, the replay ends normally: " + replay.out);
    }

    /** A comparison of one model, long enough for two reports to the dashboard. */
    private static String[] compare(Path out, String model, String... more) {
        int examples = 32 * (2 * TrainingStats.REPORTING_FREQUENCY + 1);
        List<String> args = new ArrayList<>(List.of("compare", "--models", model, "--limit", String.valueOf(examples),
                "--epochs", "1", "--out", out.toString()));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    @Test
    void badDashboardOptionsAreBadInput() {
        MainTest.Result port = MainTest.bnlab("compare", "--ui-port", "70000");
        assertEquals(2, port.code());
        assertTrue(port.err().contains("must be a port from 0 to 65535, was 70000"), port.err());

        MainTest.Result noStats = MainTest.bnlab("ui", dir.toString());
        assertEquals(2, noStats.code());
        assertTrue(noStats.err().contains(dir.resolve("stats.bin") + ": not found"), noStats.err());

        MainTest.Result resume = MainTest.bnlab("compare", "--resume", dir.toString(), "--ui", "--ui-port", "0");
        assertEquals(2, resume.code());
        assertTrue(resume.err().contains("settings.json: not found"), "--ui goes with --resume: " + resume.err());
    }

    private static HttpResponse<String> get(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
