package bnlab.cli;

import bnlab.ui.TrainingStats;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.Writer;
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
import java.util.concurrent.CountDownLatch;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** --ui on a training command, and 'ui' replaying run folders; the dashboard listens on the loopback interface. */
class DashboardCommandsTest {

    private static final Pattern DASHBOARD = Pattern.compile("dashboard: (http://127\\.0\\.0\\.1:\\d+/train)");
    private static final Pattern SCORES = Pattern.compile("\"scores\"\\s*:\\s*\\[\\s*[-\\d]");
    /** The line a training command prints at the end of its only epoch, while the model is still in training. */
    private static final Pattern EPOCH_LINE = Pattern.compile("epoch +1/1 +loss");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path dir;

    /**
     * What a command prints. Once the dashboard's address is printed it is announced; a line
     * matching {@code holdAt}, if given, holds the command until released, so that the test acts
     * at that point of the command and not at a moment it hopes the command has reached.
     */
    private static final class Output extends Writer {

        final StringBuffer text = new StringBuffer();
        final CompletableFuture<String> dashboard = new CompletableFuture<>();
        final CountDownLatch held = new CountDownLatch(1);
        final CountDownLatch released = new CountDownLatch(1);
        private final Pattern holdAt;

        Output(Pattern holdAt) {
            this.holdAt = holdAt;
        }

        @Override
        public void write(char[] chars, int offset, int length) {
            text.append(chars, offset, length);
            Matcher printed = DASHBOARD.matcher(text);
            if (!dashboard.isDone() && printed.find()) {
                dashboard.complete(printed.group(1));
            }
            if (holdAt != null && held.getCount() > 0 && holdAt.matcher(text).find()) {
                held.countDown();
                try {
                    released.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }

        @Override
        public String toString() {
            return text.toString();
        }
    }

    /** A command running in the background, printing to an {@link Output}. */
    private static final class Running {

        final Output out;
        final CompletableFuture<Integer> exit = new CompletableFuture<>();
        final Thread thread;

        Running(Pattern holdAt, String... args) {
            out = new Output(holdAt);
            thread = new Thread(() -> {
                exit.complete(Main.run(new PrintWriter(out, true), new PrintWriter(out, true), args));
                out.dashboard.complete(null);
                out.held.countDown();
            });
            thread.start();
        }

        /** The dashboard's address once printed, or null if the command ended without one. */
        String dashboard() throws Exception {
            return out.dashboard.get();
        }

        int exitCode() throws Exception {
            return exit.get();
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
        Running training = new Running(EPOCH_LINE, compare(withBn, "mlp_bn", "--ui", "--ui-port", "0"));
        try {
            String live = training.dashboard();
            assertTrue(live != null, "prints the dashboard's address: " + training.out);
            training.out.held.await();
            assertFalse(training.exit.isDone(), "held in training: " + training.out);
            assertEquals(200, get(live).statusCode(), "the dashboard answers while training runs");
        } finally {
            training.out.released.countDown();
            assertEquals(0, training.exitCode(), training.out.toString());
        }
        assertTrue(training.out.toString().contains("dashboard closed; replay it with: bnlab ui " + withBn),
                training.out.toString());
        assertTrue(Files.isRegularFile(withBn.resolve("stats.bin")));
        Path withoutBn = dir.resolve("without-bn");
        assertEquals(0, MainTest.bnlab(compare(withoutBn, "mlp")).code());

        Running replay = new Running(null, "ui", "--ui-port", "0", withBn.toString(), withoutBn.toString());
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
