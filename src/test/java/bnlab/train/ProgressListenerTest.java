package bnlab.train;

import org.deeplearning4j.nn.api.Model;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProgressListenerTest {

    private static final Model BATCHES_OF_32 = (Model) Proxy.newProxyInstance(Model.class.getClassLoader(),
            new Class<?>[]{Model.class}, (proxy, method, args) -> {
                if (method.getName().equals("batchSize")) {
                    return 32;
                }
                throw new UnsupportedOperationException(method.getName());
            });

    private final StringWriter printed = new StringWriter();
    private final AtomicLong nanos = new AtomicLong();

    /** One epoch of 3200 examples, 100 batches of 32, one second each. */
    private void trainOneEpoch(ProgressListener progress) {
        progress.onEpochStart(BATCHES_OF_32);
        for (int i = 0; i < 100; i++) {
            nanos.addAndGet(Duration.ofSeconds(1).toNanos());
            progress.iterationDone(BATCHES_OF_32, i, 0);
        }
        progress.onEpochEnd(BATCHES_OF_32);
    }

    @Test
    void elsewhereThanOnATerminalAPlainLineComesAtEachInterval() {
        Console log = new Console(new PrintWriter(printed), false);
        trainOneEpoch(new ProgressListener(log, "mlp_bn", 3200, 1, 10, Duration.ofSeconds(30), nanos::get));

        List<String> lines = printed.toString().lines().toList();
        assertEquals(List.of(
                "mlp_bn   epoch  1/10  960/3200 examples (30%)  32 examples/s  1:10 left",
                "mlp_bn   epoch  1/10  1920/3200 examples (60%)  32 examples/s  0:40 left",
                "mlp_bn   epoch  1/10  2880/3200 examples (90%)  32 examples/s  0:10 left"), lines);
        assertFalse(printed.toString().contains("\r") || printed.toString().contains("\u001B"), "no terminal controls");
    }

    @Test
    void onATerminalOneBarIsRedrawnAndClearedAtTheEpochsEnd() {
        Console terminal = new Console(new PrintWriter(printed), true);
        trainOneEpoch(new ProgressListener(terminal, "mlp", 3200, 3, 10, Duration.ofSeconds(25), nanos::get));

        String shown = printed.toString();
        assertFalse(shown.contains("\n"), "stays on one line: " + shown);
        assertEquals(4, shown.split("\r", -1).length - 2, "redrawn every 25 s, then cleared: " + shown);
        assertTrue(shown.contains("\rmlp      epoch  3/10 [#####...............]  25%  32 examples/s  1:15 left\u001B[K"),
                shown);
        assertTrue(shown.endsWith("\r\u001B[K"), "cleared for the epoch's line: " + shown);
    }
}
