package bnlab.distributed;

import bnlab.BadInputException;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Spark master URL, checked before anything is written: {@code local[N]} (N may be {@code *},
 * and the attempts a task gets may follow, {@code local[N,F]}) or {@code spark://HOST:PORT} (or
 * several masters, comma-separated). Not YARN: its Spark module is not among bnlab's.
 *
 * @param url the URL as Spark takes it
 */
public record SparkMaster(String url) {

    private static final Pattern LOCAL = Pattern.compile("local(\\[([1-9]\\d*|\\*)(,[1-9]\\d*)?])?");
    private static final Pattern HOST_PORT = Pattern.compile("[^:/,\\s]+:(\\d{1,5})");
    private static final String STANDALONE = "spark://";
    /** A master that has not answered by then is taken as not there. */
    private static final int CONNECT_MILLIS = 5_000;

    /** The master named by {@code url}, or bad input naming it. */
    public static SparkMaster parse(String url) {
        boolean standalone = url.startsWith(STANDALONE) && !url.equals(STANDALONE)
                && Arrays.stream(url.substring(STANDALONE.length()).split(",", -1)).allMatch(SparkMaster::isHostPort);
        if (!(LOCAL.matcher(url).matches() || standalone)) {
            throw new BadInputException("--spark " + url + ": not a Spark master URL bnlab can use; give local[N] "
                    + "or spark://HOST:PORT");
        }
        return new SparkMaster(url);
    }

    /** Whether Spark runs inside this process. */
    private boolean local() {
        return url.startsWith("local");
    }

    /** Whether the cluster is this machine: local mode, or standalone masters on a loopback address. */
    public boolean onLoopback() {
        return local() || (url.startsWith(STANDALONE) && masters().stream().allMatch(SparkMaster::isLoopback));
    }

    /**
     * Checks that each standalone master accepts connections, so that a wrong host or port is
     * one line before anything is written, not a job that waits for ever. Local mode has nothing
     * to check here.
     */
    public void requireReachable() {
        for (InetSocketAddress master : masters()) {
            try (Socket socket = new Socket()) {
                socket.connect(master, CONNECT_MILLIS);
            } catch (IOException e) {
                throw new BadInputException("--spark " + url + ": no Spark master answers at " + master.getHostString()
                        + ":" + master.getPort() + " (" + (master.isUnresolved() ? "unknown host" : e.getMessage()) + ")");
            }
        }
    }

    private static boolean isHostPort(String master) {
        Matcher hostPort = HOST_PORT.matcher(master);
        return hostPort.matches() && Integer.parseInt(hostPort.group(1)) <= 65535;
    }

    private List<InetSocketAddress> masters() {
        if (!url.startsWith(STANDALONE)) {
            return List.of();
        }
        return Arrays.stream(url.substring(STANDALONE.length()).split(",")).map(hostPort -> {
            int colon = hostPort.lastIndexOf(':');
            return new InetSocketAddress(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
        }).toList();
    }

    private static boolean isLoopback(InetSocketAddress address) {
        try {
            return InetAddress.getByName(address.getHostString()).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    @Override
    public String toString() {
        return url;
    }
}
