package bnlab;

import bnlab.cpu.CpuTuning;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/** Tests run on the same native build and settings as the application: chosen before any test loads ND4J. */
public final class CpuTuningSession implements LauncherSessionListener {

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        CpuTuning.beforeNd4jLoadsCheckingMemoryPerBatch();
    }
}
