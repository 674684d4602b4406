package bnlab.ui;

import bnlab.BadInputException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * Where the dashboard can be reached. Connections go only to this machine: its loopback
 * interface, and its own addresses on its other interfaces.
 */
class DashboardTest {

    private static final int CONNECT_TIMEOUT_MILLIS = 2000;

    @Test
    void listensOnTheLoopbackInterfaceOnly() throws Exception {
        try (Dashboard dashboard = Dashboard.start(Dashboard.LOOPBACK, 0)) {
            int port = dashboard.port();
            assertEquals("http://127.0.0.1:" + port + "/train", dashboard.url());
            assertTrue(connects(InetAddress.getLoopbackAddress(), port), "reachable on the loopback interface");

            List<InetAddress> listening = listeningAddresses(port);
            assertFalse(listening.isEmpty(), "the kernel lists the dashboard's socket");
            assertTrue(listening.stream().allMatch(InetAddress::isLoopbackAddress), "bound to " + listening);

            for (InetAddress address : nonLoopbackAddresses(false)) {
                assertFalse(connects(address, port), "reachable at " + address.getHostAddress());
            }
        }
    }

    /** The check above can see an exposed dashboard: opened on purpose, it is reachable from the network. */
    @Test
    void openedOnPurposeItIsReachableOnTheMachinesOtherAddresses() throws Exception {
        List<InetAddress> addresses = nonLoopbackAddresses(true);
        assumeFalse(addresses.isEmpty(), "this machine has no IPv4 address but its loopback one, so no other "
                + "network can reach it; the kernel's table of listening sockets is checked above all the same");
        try (Dashboard dashboard = Dashboard.start("0.0.0.0", 0)) {
            assertTrue(listeningAddresses(dashboard.port()).stream().anyMatch(InetAddress::isAnyLocalAddress));
            for (InetAddress address : addresses) {
                assertTrue(connects(address, dashboard.port()), "reachable at " + address.getHostAddress());
            }
        }
    }

    @Test
    void aTakenPortIsBadInput() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            BadInputException e = assertThrows(BadInputException.class,
                    () -> Dashboard.start(Dashboard.LOOPBACK, taken.getLocalPort()));
            assertTrue(e.getMessage().startsWith("127.0.0.1 port " + taken.getLocalPort()
                    + ": the dashboard cannot listen there"), e.getMessage());
        }
        try (Dashboard dashboard = Dashboard.start(Dashboard.LOOPBACK, 0)) {
            assertTrue(connects(InetAddress.getLoopbackAddress(), dashboard.port()), "starts after a failed start");
        }
    }

    private static boolean connects(InetAddress address, int port) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address, port), CONNECT_TIMEOUT_MILLIS);
            return true;
        } catch (ConnectException refused) {
            return false;
        }
    }

    /** This machine's addresses on its interfaces that are up, but the loopback and link-local ones. */
    private static List<InetAddress> nonLoopbackAddresses(boolean ipv4Only) throws SocketException {
        return NetworkInterface.networkInterfaces()
                .filter(DashboardTest::isUp)
                .flatMap(NetworkInterface::inetAddresses)
                .filter(address -> !address.isLoopbackAddress() && !address.isLinkLocalAddress())
                .filter(address -> !ipv4Only || address instanceof Inet4Address)
                .toList();
    }

    private static boolean isUp(NetworkInterface network) {
        try {
            return network.isUp() && !network.isLoopback();
        } catch (SocketException e) {
            return false;
        }
    }

    /** The local addresses of the TCP sockets listening on {@code port}, from the kernel's tables (Linux). */
    private static List<InetAddress> listeningAddresses(int port) throws IOException {
        String portHex = String.format(Locale.ROOT, ":%04X", port);
        List<InetAddress> addresses = new ArrayList<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            for (String line : Files.readAllLines(Path.of(table)).stream().skip(1).toList()) {
                String[] fields = line.trim().split("\\s+");
                String local = fields[1];
                boolean listening = fields[3].equals("0A");
                if (listening && local.endsWith(portHex)) {
                    addresses.add(kernelAddress(local.substring(0, local.indexOf(':'))));
                }
            }
        }
        return addresses;
    }

    /** An address as the kernel's tables write it: hex, each 32-bit word in the machine's (little-endian) order. */
    private static InetAddress kernelAddress(String hex) throws IOException {
        byte[] bytes = HexFormat.of().parseHex(hex);
        for (int word = 0; word < bytes.length; word += 4) {
            for (int i = 0; i < 2; i++) {
                byte swapped = bytes[word + i];
                bytes[word + i] = bytes[word + 3 - i];
                bytes[word + 3 - i] = swapped;
            }
        }
        return InetAddress.getByAddress(bytes);
    }
}
