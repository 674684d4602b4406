package bnlab.cli;

import bnlab.cpu.CpuTuning;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.deeplearning4j.optimize.api.TrainingListener;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;

/**
 * bnlab's {@code compare} in a process of its own that holds still once a given number of epochs,
 * counted over all its models, is written with its checkpoint: it prints {@link #HELD} and waits
 * to be killed. Arguments: that number, then compare's own.
 */
final class HeldCompare {

    static final String HELD = "held";

    private HeldCompare() {
    }

    public static void main(String[] args) throws Exception {
        CpuTuning.beforeNd4jLoadsCheckingMemoryPerBatch();
        TrainingListener hold = new Hold(Integer.parseInt(args[0]));
        CommandLine.IFactory commands = new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> type) throws Exception {
                return type == CompareCommand.class ? type.cast(new CompareCommand(hold))
                        : CommandLine.defaultFactory().create(type);
            }
        };
        System.exit(Main.run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), commands,
                Arrays.copyOfRange(args, 1, args.length)));
    }

    /** Holds training for good at the end of its n-th epoch, which bnlab's own listeners have written by then. */
    private static final class Hold extends BaseTrainingListener {

        private final int epochs;
        private int ended;

        Hold(int epochs) {
            this.epochs = epochs;
        }

        @Override
        public void onEpochEnd(Model model) {
            if (++ended == epochs) {
                System.out.println(HELD);
                try {
                    new CountDownLatch(1).await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }
}
