package bnlab.experiment;

import bnlab.report.RunFolder;
import bnlab.train.Checkpoint;
import bnlab.train.Console;
import bnlab.train.Fitting;
import bnlab.train.RunName;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

import java.util.Map;
import java.util.function.IntFunction;

/**
 * How a plan's runs are trained once its pretraining is done: one after the other in this
 * process ({@link #here}), or as tasks on a Spark cluster ({@code bnlab.distributed.SparkSweep}).
 * Either way the run folder gets the same results.
 */
@FunctionalInterface
public interface RunTraining {

    /**
     * Trains {@code plan}'s runs.
     *
     * @param pretrained the networks of the plan's pretraining, by run name, for runs that start from one
     */
    Results train(Plan plan, Map<RunName, MultiLayerNetwork> pretrained);

    /** One run after the other in this process, each checkpointed after every epoch, continuing from {@code checkpoint} if not null. */
    static RunTraining here(Console console, RunFolder out, Checkpoint.Restored checkpoint) {
        return here(console, out, checkpoint, Runner.hereOnly(console));
    }

    /** As above, each run trained as {@code fitting} says for its number of workers. */
    static RunTraining here(Console console, RunFolder out, Checkpoint.Restored checkpoint,
                            IntFunction<Fitting> fitting) {
        return (plan, pretrained) -> new Runner(out, console, plan.settings(), histories -> {
        }, fitting).run(plan.runs(), plan.data(), checkpoint, pretrained);
    }
}
