package bnlab.ui;

import bnlab.BadInputException;
import io.vertx.core.Vertx;
import org.deeplearning4j.config.DL4JSystemProperties;
import org.deeplearning4j.core.storage.StatsStorage;
import org.deeplearning4j.ui.VertxUIServer;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * DL4J's training dashboard (its UI server in multi-session mode: each model trained is a
 * session with pages of its own), listening on one address. bnlab's default is the loopback
 * interface, so that only this machine sees it, where DL4J's own is every interface. DL4J
 * allows one UI server per process, so there is at most one dashboard at a time.
 */
public final class Dashboard implements AutoCloseable {

    public static final int DEFAULT_PORT = VertxUIServer.DEFAULT_UI_PORT;
    /** The address only this machine reaches. */
    public static final String LOOPBACK = "127.0.0.1";
    private static final long START_TIMEOUT_SECONDS = 60;

    private final VertxUIServer server;
    private final String host;

    private Dashboard(VertxUIServer server, String host) {
        this.server = server;
        this.host = host;
    }

    /** Starts the dashboard on {@code host} and {@code port} (0 for any free port). */
    public static synchronized Dashboard start(String host, int port) {
        VertxUIServer running = VertxUIServer.getInstance();
        if (running != null && !running.isStopped()) {
            throw new IllegalStateException("the dashboard already runs in this process, at " + running.getAddress());
        }
        VertxUIServer.getMultiSession().set(true);
        // DL4J reads its port from this property when the server starts; nothing else sets it.
        String portBefore = System.setProperty(DL4JSystemProperties.UI_SERVER_PORT_PROPERTY, String.valueOf(port));
        BoundUIServer server = new BoundUIServer(host);
        CompletableFuture<String> deployed = new CompletableFuture<>();
        Vertx.vertx().deployVerticle(server, result -> {
            if (result.succeeded()) {
                deployed.complete(result.result());
            } else {
                deployed.completeExceptionally(result.cause());
            }
        });
        try {
            deployed.get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            return new Dashboard(server, host);
        } catch (ExecutionException e) {
            stop();
            throw new BadInputException(host + " port " + port + ": the dashboard cannot listen there ("
                    + rootCause(e).getMessage() + ")", e);
        } catch (InterruptedException | TimeoutException e) {
            stop();
            throw new IllegalStateException("the dashboard did not start", e);
        } finally {
            if (portBefore == null) {
                System.clearProperty(DL4JSystemProperties.UI_SERVER_PORT_PROPERTY);
            } else {
                System.setProperty(DL4JSystemProperties.UI_SERVER_PORT_PROPERTY, portBefore);
            }
        }
    }

    /** Shows the sessions in {@code storage}, and those it receives from now on. */
    public void show(StatsStorage storage) {
        server.attach(storage);
    }

    public int port() {
        return server.getPort();
    }

    /** The page that lists the sessions. */
    public String url() {
        return "http://" + hostInUrl() + ":" + port() + "/train";
    }

    /** The overview page of one session. */
    public String url(String sessionId) {
        return url() + "/" + sessionId + "/overview";
    }

    @Override
    public void close() {
        stop();
    }

    /** Where a browser on this machine reaches the server: the loopback address when it listens everywhere. */
    private String hostInUrl() {
        String address = host;
        try {
            if (InetAddress.getByName(host).isAnyLocalAddress()) {
                address = LOOPBACK;
            }
        } catch (UnknownHostException e) {
            // It listens on this host, so the name resolves; if it stopped resolving, show it as given.
        }
        return address.contains(":") ? "[" + address + "]" : address;
    }

    private static void stop() {
        try {
            VertxUIServer.stopInstance();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            throw new IllegalStateException("the dashboard did not stop", e);
        }
    }

    private static Throwable rootCause(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }
}
