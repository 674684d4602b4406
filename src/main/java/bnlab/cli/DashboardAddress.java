package bnlab.cli;

import bnlab.ui.Dashboard;
import picocli.CommandLine.Option;

/** Where DL4J's dashboard listens. */
final class DashboardAddress {

    @Option(names = "--ui-port", defaultValue = "" + Dashboard.DEFAULT_PORT, paramLabel = "PORT",
            converter = PortNumber.class,
            description = "port of the dashboard (default: ${DEFAULT-VALUE}; 0 picks a free one)")
    int port;

    @Option(names = "--ui-host", defaultValue = Dashboard.LOOPBACK, paramLabel = "ADDRESS",
            description = "address the dashboard listens on (default: ${DEFAULT-VALUE}, reachable from this "
                    + "machine only). 0.0.0.0 opens it to every network this machine is on, without a password.")
    String host;

    Dashboard start() {
        return Dashboard.start(host, port);
    }
}
