package bnlab.report;

import org.deeplearning4j.core.storage.Persistable;
import org.deeplearning4j.core.storage.StatsStorage;
import org.deeplearning4j.core.storage.StatsStorageRouter;
import org.deeplearning4j.core.storage.StorageMetaData;
import org.deeplearning4j.ui.model.storage.FileStatsStorage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A run's training stats for DL4J's dashboard, in a {@link FileStatsStorage}, written by a
 * thread of its own: the storage forces each report to the disk before it returns, which
 * took 20 ms on this project's busy 2-core machine, as long as ten training iterations of the
 * tutorial's MLP. Reports are written in the order they come.
 */
public final class StatsFile implements StatsStorageRouter, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(StatsFile.class);
    private static final long CLOSE_TIMEOUT_MINUTES = 10;

    private final File file;
    private final FileStatsStorage storage;
    private final ExecutorService writer;
    private final AtomicBoolean failed = new AtomicBoolean();

    StatsFile(File file) {
        this.file = file;
        this.storage = new FileStatsStorage(file);
        this.writer = Executors.newSingleThreadExecutor(task -> {
            Thread thread = new Thread(task, "stats writer " + file);
            thread.setDaemon(true);
            return thread;
        });
    }

    /** The storage to show in the dashboard; it receives each report when it is written. */
    public StatsStorage storage() {
        return storage;
    }

    @Override
    public void putStorageMetaData(StorageMetaData metaData) {
        write(() -> storage.putStorageMetaData(metaData));
    }

    @Override
    public void putStorageMetaData(Collection<? extends StorageMetaData> metaData) {
        List<? extends StorageMetaData> copy = List.copyOf(metaData);
        write(() -> storage.putStorageMetaData(copy));
    }

    @Override
    public void putStaticInfo(Persistable staticInfo) {
        write(() -> storage.putStaticInfo(staticInfo));
    }

    @Override
    public void putStaticInfo(Collection<? extends Persistable> staticInfo) {
        List<? extends Persistable> copy = List.copyOf(staticInfo);
        write(() -> storage.putStaticInfo(copy));
    }

    @Override
    public void putUpdate(Persistable update) {
        write(() -> storage.putUpdate(update));
    }

    @Override
    public void putUpdate(Collection<? extends Persistable> updates) {
        List<? extends Persistable> copy = List.copyOf(updates);
        write(() -> storage.putUpdate(copy));
    }

    /** Writes the reports still waiting, and closes the file. */
    @Override
    public void close() {
        writer.shutdown();
        try {
            if (!writer.awaitTermination(CLOSE_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                log.warn("{}: reports still unwritten after {} minutes are left out", file, CLOSE_TIMEOUT_MINUTES);
                writer.shutdownNow();
            }
        } catch (InterruptedException e) {
            writer.shutdownNow();
            Thread.currentThread().interrupt();
        }
        storage.close();
    }

    /** Stats are a view of the training, not its result: a failed write is reported and training goes on. */
    private void write(Runnable report) {
        writer.execute(() -> {
            try {
                report.run();
            } catch (RuntimeException e) {
                if (failed.compareAndSet(false, true)) {
                    log.warn("{}: cannot write training stats; the dashboard will miss some", file, e);
                }
            }
        });
    }
}
