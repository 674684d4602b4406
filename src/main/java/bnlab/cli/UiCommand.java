package bnlab.cli;

import bnlab.ui.Dashboard;
import bnlab.ui.TrainingStats;
import org.deeplearning4j.ui.model.storage.FileStatsStorage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

@Command(name = "ui", mixinStandardHelpOptions = true,
        description = "Replay the training recorded in run folders (their stats.bin) in DL4J's dashboard: each model "
                + "of each run is a session with pages of its own, so that runs with and without BatchNormalization "
                + "can be compared side by side. Serves until interrupted (Ctrl+C).")
final class UiCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "RUN_DIR", arity = "1..*", description = "folders of earlier training commands")
    List<Path> runs;

    @Mixin
    DashboardAddress address;

    @Override
    public Integer call() {
        List<FileStatsStorage> recorded = new ArrayList<>();
        try {
            for (Path run : runs) {
                recorded.add(TrainingStats.recordedIn(run));
            }
            PrintWriter out = spec.commandLine().getOut();
            try (Dashboard dashboard = address.start()) {
                recorded.forEach(dashboard::show);
                out.printf("dashboard: %s%n", dashboard.url());
                for (FileStatsStorage stats : recorded) {
                    stats.listSessionIDs().stream().sorted()
                            .forEach(session -> out.printf("  %s%n", dashboard.url(session)));
                }
                out.println("serving until interrupted (Ctrl+C)");
                out.flush();
                new CountDownLatch(1).await();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            recorded.forEach(FileStatsStorage::close);
        }
        return 0;
    }
}
