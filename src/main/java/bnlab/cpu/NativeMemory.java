package bnlab.cpu;

import org.bytedeco.javacpp.Pointer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.deeplearning4j.optimize.api.TrainingListener;

/**
 * Keeps the process's native memory bounded. ND4J frees an array's native memory only when the
 * garbage collector collects the array, and the Java heap, which holds only the arrays' small
 * objects, may not fill for a long time: loops that make arrays outside DL4J's workspaces
 * (validation, precise BN, gradient accumulation) grew bnlab's process past 14 GB. JavaCPP can
 * collect whenever the resident memory passes a limit ({@code maxPhysicalBytes}), but it checks
 * at every allocation, which slowed the training of mlp_bn by a third here; bnlab turns that
 * off ({@link CpuTuning}) and checks here instead, once per batch.
 */
public final class NativeMemory {

    /** Resident memory above which bnlab collects: twice the heap's limit (native libraries and data included). */
    static final long LIMIT = 2 * Runtime.getRuntime().maxMemory();
    /** Collections start the native frees on ND4J's own threads; give them this long before another. */
    private static final long PAUSE_NANOS = 1_000_000_000L;
    private static long lastCollection = System.nanoTime() - PAUSE_NANOS;

    private NativeMemory() {
    }

    /** Collects garbage if the process's resident memory is above {@link #LIMIT}; cheap when it is not. */
    public static synchronized void bound() {
        long now = System.nanoTime();
        if (now - lastCollection >= PAUSE_NANOS && Pointer.physicalBytesInaccurate(LIMIT) > LIMIT) {
            lastCollection = now;
            System.gc();
        }
    }

    /** A listener that calls {@link #bound} after every training iteration. */
    public static TrainingListener listener() {
        return new BaseTrainingListener() {
            @Override
            public void iterationDone(Model model, int iteration, int epoch) {
                bound();
            }
        };
    }
}
