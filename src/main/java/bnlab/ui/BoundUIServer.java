package bnlab.ui;

import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import org.deeplearning4j.ui.VertxUIServer;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

/**
 * DL4J's UI server, listening on one address. DL4J starts its HTTP server with
 * {@code listen(port, handler)}, which Vert.x binds to 0.0.0.0 (every interface), and has no
 * setting for the address; so this server is handed a Vert.x whose HTTP servers bind such a
 * call to {@code host}.
 */
final class BoundUIServer extends VertxUIServer {

    private static final Object NOT_REPLACED = new Object();

    private final String host;

    BoundUIServer(String host) {
        this.host = host;
    }

    @Override
    public void init(Vertx vertx, Context context) {
        super.init(listeningOnHost(vertx), context);
    }

    private Vertx listeningOnHost(Vertx vertx) {
        return forwarding(vertx, (method, args) -> method.getName().equals("createHttpServer") && args == null
                ? listeningOnHost(vertx.createHttpServer(new HttpServerOptions().setHost(host)))
                : NOT_REPLACED);
    }

    @SuppressWarnings("unchecked")
    private HttpServer listeningOnHost(HttpServer server) {
        return forwarding(server, (method, args) -> isListenOnPortAlone(method)
                ? server.listen((int) args[0], host, args.length == 2 ? (Handler<AsyncResult<HttpServer>>) args[1] : null)
                : NOT_REPLACED);
    }

    /** {@code listen(port)} and {@code listen(port, handler)}: the calls Vert.x binds to every interface. */
    private static boolean isListenOnPortAlone(Method method) {
        Class<?>[] parameters = method.getParameterTypes();
        return method.getName().equals("listen") && parameters.length >= 1 && parameters[0] == int.class
                && (parameters.length == 1 || parameters.length == 2 && parameters[1] == Handler.class);
    }

    /**
     * {@code target} behind a proxy of all its interfaces (Vert.x's own code may cast to an
     * internal one) that lets {@code replacement} answer first. A call answered with
     * {@code target} itself, as Vert.x's fluent setters do, answers with the proxy instead, so
     * that a chain of calls stays behind it.
     */
    @SuppressWarnings("unchecked")
    private static <T> T forwarding(T target, Replacement replacement) {
        return (T) Proxy.newProxyInstance(BoundUIServer.class.getClassLoader(), target.getClass().getInterfaces(),
                (proxy, method, args) -> {
                    Object result = replacement.answer(method, args);
                    if (result == NOT_REPLACED) {
                        try {
                            result = method.invoke(target, args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                    }
                    return result == target ? proxy : result;
                });
    }

    @FunctionalInterface
    private interface Replacement {
        /** The call's result, or {@link #NOT_REPLACED} to leave the call to the target. */
        Object answer(Method method, Object[] args);
    }
}
