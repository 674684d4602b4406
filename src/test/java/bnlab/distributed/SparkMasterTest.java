package bnlab.distributed;

import bnlab.BadInputException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SparkMasterTest {

    @Test
    void takesSparksMasterUrlsAndNothingElse() {
        for (String url : new String[]{"local", "local[2]", "local[*]", "local[2,3]", "spark://127.0.0.1:7077",
                "spark://a:7077,b:7078"}) {
            assertDoesNotThrow(() -> SparkMaster.parse(url), url);
        }
        for (String url : new String[]{"local[x]", "local[2", "spark://", "spark://host", "spark://host:70777",
                "spark://host:7077,", "mesos://host:5050", "yarn", "local[0]", "local[2,0]", ""}) {
            BadInputException e = assertThrows(BadInputException.class, () -> SparkMaster.parse(url), url);
            assertTrue(e.getMessage().startsWith("--spark " + url + ": not a Spark master URL bnlab can use"), e.getMessage());
        }
    }

    @Test
    void onTheLoopbackWhenLocalOrEveryMasterIsThisMachine() {
        assertTrue(SparkMaster.parse("local[2]").onLoopback());
        assertTrue(SparkMaster.parse("spark://127.0.0.1:7077,localhost:7078").onLoopback());
        assertFalse(SparkMaster.parse("spark://127.0.0.1:7077,192.0.2.7:7077").onLoopback());
    }

    @Test
    void aMasterThatDoesNotAnswerIsBadInput() throws IOException {
        int port;
        try (ServerSocket listening = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = listening.getLocalPort();
            assertDoesNotThrow(() -> SparkMaster.parse("spark://127.0.0.1:" + port).requireReachable());
        }
        BadInputException refused = assertThrows(BadInputException.class,
                () -> SparkMaster.parse("spark://127.0.0.1:" + port).requireReachable());
        assertTrue(refused.getMessage().contains("no Spark master answers at 127.0.0.1:" + port), refused.getMessage());
        BadInputException unknown = assertThrows(BadInputException.class,
                () -> SparkMaster.parse("spark://no-such-host.invalid:7077").requireReachable());
        assertTrue(unknown.getMessage().endsWith("(unknown host)"), unknown.getMessage());
    }
}
