package bnlab.experiment;

import bnlab.report.RunFolder;
import bnlab.train.Console;
import bnlab.train.RunName;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/** The experiments, by the names the command line knows them by, and how each one runs. */
public enum Experiments {

    PLACEMENT(Placement::new),
    LEARNING_RATE(LearningRate::new),
    INIT(Init::new),
    DEEP(Deep::new),
    REGULARIZATION(Regularization::new),
    DROPOUT(DropoutOrder::new),
    CNN(Convolutional::new),
    IOFFE(Ioffe::new),
    TRANSFER(Transfer::new),
    BATCH_SIZE(BatchSize::new),
    RECURRENT(Recurrent::new),
    DATA_PARALLEL(DataParallelism::new);

    private final Supplier<Experiment> experiment;

    Experiments(Supplier<Experiment> experiment) {
        this.experiment = experiment;
    }

    public Experiment experiment() {
        return experiment.get();
    }

    /**
     * Trains {@code plan}, this experiment's, into {@code out}: its pretraining first, here, if it has one,
     * then its runs by {@code training}; then writes its charts, {@code findings.md} and
     * {@code findings.json} and returns the findings.
     */
    public Findings run(Plan plan, Console console, RunFolder out, RunTraining training) {
        Experiment e = experiment();
        ExperimentSettings settings = plan.settings();
        Findings findings = e.findings(plan, train(plan, console, out, training), out);
        out.writeString("findings.md", String.format(Locale.ROOT, "# %s%n%nClaim: %s%n%n**Verdict:** %s%n%n%s%n%s%n"
                        + "Settings: %s.%n", this, e.claim(), findings.brief(), findings.verdictList(),
                findings.markdown(), settings.describe()));
        out.writeJson("findings.json", new Recorded(this, e.claim(), settings.describe(), commandLine(settings),
                findings.verdicts()));
        return findings;
    }

    /** Trains {@code plan} into {@code out}: its pretraining first, here, if it has one, then its runs by {@code training}. */
    static Results train(Plan plan, Console console, RunFolder out, RunTraining training) {
        Map<RunName, MultiLayerNetwork> pretrained = plan.pretraining()
                .map(pretraining -> pretraining.networks(console, out))
                .orElse(Map.of());
        return training.train(plan, pretrained);
    }

    /**
     * The command's arguments that run this experiment with {@code settings}: "experiment NAME",
     * then {@code --quick} and what differs from that version's own settings.
     */
    public String commandLine(ExperimentSettings settings) {
        ExperimentSettings base = settings.quick() ? experiment().quick() : experiment().defaults();
        StringBuilder args = new StringBuilder("experiment ").append(this);
        if (settings.quick()) {
            args.append(" --quick");
        }
        if (settings.data().dataset() != base.data().dataset()) {
            args.append(" --dataset ").append(settings.data().dataset());
        }
        if (!Objects.equals(settings.data().limit(), base.data().limit())) {
            args.append(" --limit ").append(settings.data().limit());
        }
        if (settings.epochs() != base.epochs()) {
            args.append(" --epochs ").append(settings.epochs());
        }
        if (settings.batchSize() != base.batchSize()) {
            args.append(" --batch-size ").append(settings.batchSize());
        }
        if (settings.seeds() != base.seeds()) {
            args.append(" --seeds ").append(settings.seeds());
        }
        return args.toString();
    }

    /**
     * What findings.json holds: the verdicts as values, with the experiment, its claim, its
     * settings and the command's arguments that ran it; the docs are made from it
     * ({@link ExperimentDocs}).
     */
    record Recorded(Experiments experiment, String claim, String settings, String command, List<Verdict> verdicts) {
    }

    @Override
    public String toString() {
        return name().toLowerCase().replace('_', '-');
    }
}
