package bnlab.cli;

import bnlab.report.RunFolder;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** Where a command writes its results. */
final class OutputOptions {

    @Option(names = "--out", paramLabel = "DIR",
            description = "folder for the results (default: a new runs/<command>-<date>-<time>)")
    Path out;

    RunFolder folder(String command) {
        return out == null ? RunFolder.createDefault(command) : RunFolder.open(out);
    }
}
