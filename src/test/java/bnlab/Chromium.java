package bnlab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real browser for tests: headless Chromium from the Debian package {@code chromium}, with
 * one page, driven through the Chrome DevTools protocol on a WebSocket to its loopback port
 * (no driver binary, nothing downloaded). Every wait is bounded.
 */
public final class Chromium implements AutoCloseable {

    private static final Path BINARY = Path.of("/usr/bin/chromium");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final WebSocket page;
    private final Map<Integer, CompletableFuture<JsonNode>> answers = new ConcurrentHashMap<>();
    private final AtomicInteger lastId = new AtomicInteger();

    private Chromium(Process process, URI pageSocket) throws Exception {
        this.process = process;
        this.page = HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(pageSocket, new Answers()).get(CALL_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }

    /** Starts Chromium with a fresh profile in {@code profile}, an empty folder; its log goes there too. */
    public static Chromium start(Path profile) throws Exception {
        if (!Files.isExecutable(BINARY)) {
            throw new AssertionError(BINARY + " not found: these tests need a real browser, from the Debian package "
                    + "chromium (apt-get install chromium; .ci/run installs it)");
        }
        Process process = new ProcessBuilder(BINARY.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--user-data-dir=" + profile, "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0",
                "--window-size=1280,1000", "about:blank")
                .redirectErrorStream(true)
                .redirectOutput(profile.resolve("chromium.log").toFile())
                .start();
        try {
            return new Chromium(process, pageSocket(process, profile));
        } catch (Exception | AssertionError e) {
            process.destroyForcibly();
            throw e;
        }
    }

    /** The WebSocket of the page Chromium opened, once Chromium tells its port. */
    private static URI pageSocket(Process process, Path profile) throws Exception {
        Path portFile = profile.resolve("DevToolsActivePort");
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!Files.exists(portFile) || Files.readAllLines(portFile).isEmpty()) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError("Chromium did not start; its log: " + Files.readString(profile.resolve("chromium.log")));
            }
            Thread.sleep(50);
        }
        String port = Files.readAllLines(portFile).get(0).strip();
        HttpResponse<String> targets = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list")).timeout(CALL_TIMEOUT).build(),
                HttpResponse.BodyHandlers.ofString());
        for (JsonNode target : JSON.readTree(targets.body())) {
            if (target.path("type").asText().equals("page")) {
                return URI.create(target.path("webSocketDebuggerUrl").asText());
            }
        }
        throw new AssertionError("Chromium opened no page: " + targets.body());
    }

    /** Calls a DevTools method of the page and returns its result. */
    public JsonNode call(String method, Map<String, ?> params) throws Exception {
        int id = lastId.incrementAndGet();
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        answers.put(id, answer);
        page.sendText(JSON.writeValueAsString(Map.of("id", id, "method", method, "params", params)), true)
                .get(CALL_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        JsonNode reply = answer.get(CALL_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        if (reply.has("error")) {
            throw new AssertionError(method + ": " + reply.get("error"));
        }
        return reply.path("result");
    }

    public void open(String url) throws Exception {
        JsonNode navigated = call("Page.navigate", Map.of("url", url));
        if (navigated.has("errorText")) {
            throw new AssertionError(url + ": " + navigated.get("errorText").asText());
        }
    }

    /** The value of a JavaScript expression in the page (awaited if it is a promise). */
    public JsonNode evaluate(String expression) throws Exception {
        JsonNode result = call("Runtime.evaluate", Map.of("expression", expression, "returnByValue", true,
                "awaitPromise", true));
        if (result.has("exceptionDetails")) {
            throw new AssertionError(expression + " threw: " + result.get("exceptionDetails"));
        }
        return result.path("result").path("value");
    }

    /**
     * Evaluates {@code expression} every 100 ms until it is true (while the page loads, it may
     * also throw); false at the deadline fails with {@code what}, after a screenshot of the page
     * to {@code screenshotOnFailure}.
     */
    public void waitUntil(String expression, Duration timeout, String what, Path screenshotOnFailure)
            throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "";
        while (true) {
            try {
                JsonNode value = evaluate(expression);
                if (value.asBoolean(false)) {
                    return;
                }
                last = "false";
            } catch (AssertionError notYet) {
                last = notYet.getMessage();
            }
            if (System.nanoTime() > deadline) {
                screenshot(screenshotOnFailure);
                throw new AssertionError("no " + what + " after " + timeout.toSeconds() + " s (the page is in "
                        + screenshotOnFailure + "; last: " + last + ")");
            }
            Thread.sleep(100);
        }
    }

    /** Saves the whole page, not only the window's part of it, as a PNG. */
    public void screenshot(Path png) throws Exception {
        JsonNode size = call("Page.getLayoutMetrics", Map.of()).path("cssContentSize");
        Map<String, Object> wholePage = Map.of("x", 0, "y", 0, "scale", 1,
                "width", Math.max(1, size.path("width").asDouble()), "height", Math.max(1, size.path("height").asDouble()));
        JsonNode shot = call("Page.captureScreenshot", Map.of("format", "png", "clip", wholePage,
                "captureBeyondViewport", true));
        Files.createDirectories(png.getParent());
        Files.write(png, Base64.getDecoder().decode(shot.path("data").asText()));
    }

    /** Closes the browser, and waits until all its processes have ended (so that its profile can be deleted). */
    @Override
    public void close() throws Exception {
        List<ProcessHandle> processes = new ArrayList<>(process.descendants().toList());
        processes.add(process.toHandle());
        try {
            call("Browser.close", Map.of());
        } catch (Exception | AssertionError e) {
            // Ended below all the same.
        }
        page.abort();
        for (ProcessHandle handle : processes) {
            try {
                handle.onExit().get(10, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                handle.destroyForcibly();
                handle.onExit().get(10, TimeUnit.SECONDS);
            }
        }
    }

    /** Hands each reply to the call waiting for it; events, which have no id, are not needed. */
    private final class Answers implements WebSocket.Listener {

        private final StringBuilder message = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket socket, CharSequence part, boolean last) {
            message.append(part);
            if (last) {
                try {
                    JsonNode reply = JSON.readTree(message.toString());
                    CompletableFuture<JsonNode> waiting = reply.has("id") ? answers.remove(reply.get("id").asInt()) : null;
                    if (waiting != null) {
                        waiting.complete(reply);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                } finally {
                    message.setLength(0);
                }
            }
            socket.request(1);
            return null;
        }
    }
}
