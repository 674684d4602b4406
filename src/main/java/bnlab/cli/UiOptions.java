package bnlab.cli;

import bnlab.report.RunFolder;
import bnlab.train.Status;
import bnlab.ui.Dashboard;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.function.Supplier;

/** The live dashboard of a training command. */
final class UiOptions {

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @Option(names = "--ui", description = "show the training live in DL4J's dashboard, at the address printed; "
            + "it closes when the command ends ('bnlab ui RUN_DIR' replays it)")
    boolean ui;

    @Mixin
    DashboardAddress address;

    /** Runs {@code training}, shown live in the dashboard while it runs if --ui was given. */
    Status showingLive(RunFolder folder, Supplier<Status> training) {
        if (!ui) {
            return training.get();
        }
        PrintWriter out = command.commandLine().getOut();
        try (Dashboard dashboard = address.start()) {
            dashboard.show(folder.stats().storage());
            out.printf("dashboard: %s%n", dashboard.url());
            out.flush();
            Status status = training.get();
            out.printf("dashboard closed; replay it with: bnlab ui %s%n", folder.path());
            return status;
        }
    }
}
