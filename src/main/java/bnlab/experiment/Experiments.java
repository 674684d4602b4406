package bnlab.experiment;

import bnlab.data.TrainTest;
import bnlab.report.RunFolder;
import bnlab.train.Console;
import bnlab.train.History;

import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/** The experiments, by the names the command line knows them by, and how each one runs. */
public enum Experiments {

    PLACEMENT(Placement::new),
    REGULARIZATION(Regularization::new),
    DROPOUT(DropoutOrder::new),
    CNN(Convolutional::new);

    private final Supplier<Experiment> experiment;

    Experiments(Supplier<Experiment> experiment) {
        this.experiment = experiment;
    }

    public Experiment experiment() {
        return experiment.get();
    }

    /**
     * Trains the experiment's runs into {@code out} (continuing its checkpoint when
     * {@code resume}), then writes its charts and {@code findings.md} and returns the findings.
     */
    public Findings run(ExperimentSettings settings, TrainTest data, Console console, RunFolder out, boolean resume) {
        Experiment e = experiment();
        Runner runner = new Runner(out, console, settings, histories -> {
        });
        List<History> histories = resume ? runner.resume(e.runs(settings), data) : runner.run(e.runs(settings), data);
        Findings findings = e.findings(histories, settings, out);
        out.writeString("findings.md", String.format(Locale.ROOT, "# %s%n%nClaim: %s%n%n**Verdict:** %s%n%n%s%n"
                        + "Settings: %s.%n", this, e.claim(), findings.verdict(), findings.markdown(), settings.describe()));
        return findings;
    }

    @Override
    public String toString() {
        return name().toLowerCase().replace('_', '-');
    }
}
