package bnlab.report;

import bnlab.BadInputException;
import bnlab.Json;
import bnlab.train.Status;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;

/**
 * The folder a command writes its results to, held by one command at a time (a lock on
 * {@code .lock}). Every file is written to a temporary file in the folder and renamed into
 * place, so a reader never sees half a file and a crash leaves the previous version whole.
 * {@code status.json} tells whether the command is running or how it ended.
 */
public final class RunFolder implements AutoCloseable {

    /** DL4J's training stats of the run, for its dashboard. */
    public static final String STATS = "stats.bin";
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    private final Path path;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private String command;
    private Instant started;
    private StatsFile stats;

    private RunFolder(Path path, FileChannel lockChannel, FileLock lock) {
        this.path = path;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /**
     * Opens {@code path} for writing, creating it if needed. It must be a writable folder that
     * no other bnlab command holds.
     */
    public static RunFolder open(Path path) {
        if (Files.exists(path) && !Files.isDirectory(path)) {
            throw new BadInputException(path + ": output folder is a file");
        }
        try {
            Files.createDirectories(path);
        } catch (IOException e) {
            throw new BadInputException(path + ": cannot create the output folder (" + e + ")");
        }
        if (!Files.isWritable(path)) {
            throw new BadInputException(path + ": output folder is not writable");
        }
        FileChannel channel;
        try {
            channel = FileChannel.open(path.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new BadInputException(path + ": output folder is not writable (" + e + ")");
        }
        FileLock lock = null;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException | IOException e) {
            // Held by this process, or locks unsupported: treated alike, as held.
        }
        if (lock == null) {
            closeQuietly(channel);
            throw new BadInputException(path + ": another bnlab command is writing to this folder; "
                    + "wait for it or choose another --out");
        }
        return new RunFolder(path, channel, lock);
    }

    /** Opens a new folder {@code runs/<command>-<date>-<time>}, numbered if that name is taken. */
    public static RunFolder createDefault(String command) {
        String name = command + "-" + LocalDateTime.now().format(STAMP);
        Path runs = Path.of("runs");
        Path candidate = runs.resolve(name);
        for (int n = 2; ; n++) {
            try {
                Files.createDirectories(runs);
                Files.createDirectory(candidate);
                return open(candidate);
            } catch (FileAlreadyExistsException e) {
                candidate = runs.resolve(name + "-" + n);
            } catch (IOException e) {
                throw new BadInputException(candidate + ": cannot create the output folder (" + e + ")");
            }
        }
    }

    public Path path() {
        return path;
    }

    public Path resolve(String name) {
        return path.resolve(name);
    }

    /** Records that {@code command} starts, with its settings, in settings.json and status.json. */
    public void start(String command, Object settings) {
        this.command = command;
        this.started = Instant.now();
        writeJson("settings.json", new Settings(command, settings, Versions.all()));
        writeStatus(Status.RUNNING, null);
    }

    /** Records in status.json how the command ended. */
    public void finish(Status status, String message) {
        writeStatus(status, message);
    }

    private void writeStatus(Status status, String message) {
        writeJson("status.json", new StatusFile(status, command, started.toString(), Instant.now().toString(), message));
    }

    /** What {@code settings.json} holds. */
    public record Settings(String command, Object settings, Map<String, String> versions) {
    }

    /** What {@code status.json} holds. */
    public record StatusFile(Status status, String command, String started, String updated, String message) {
    }

    public void writeString(String name, String text) {
        write(name, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
    }

    public void writeJson(String name, Object value) {
        write(name, out -> Json.MAPPER.writeValue(out, value));
    }

    /** A trained network, as DL4J's ModelSerializer saves it, without its updater's state. */
    public void writeNetwork(String name, MultiLayerNetwork network) {
        write(name, out -> ModelSerializer.writeModel(network, out, false));
    }

    public void writePng(String name, BufferedImage image) {
        write(name, out -> ImageIO.write(image, "png", out));
    }

    /** Writes {@code name} (a path relative to the folder) through a temporary file renamed into place. */
    public void write(String name, Content content) {
        writeAtomically(path.resolve(name), content);
    }

    /**
     * Writes {@code target} as the folder's files are written: to a temporary file beside it,
     * renamed into place, so that a reader never sees half a file.
     */
    public static void writeAtomically(Path file, Content content) {
        Path target = file.toAbsolutePath();
        Path temporary = null;
        try {
            Files.createDirectories(target.getParent());
            temporary = Files.createTempFile(target.getParent(), "." + target.getFileName() + ".", ".tmp");
            readableByAll(temporary);
            try (OutputStream out = Files.newOutputStream(temporary)) {
                content.writeTo(out);
            }
            moveIntoPlace(temporary, target);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target, e);
        } finally {
            deleteQuietly(temporary);
        }
    }

    /**
     * The run's training stats, in {@value #STATS}: opened on first use, closed with the folder.
     * The one file not written through a temporary file: it is a database that grows while
     * training runs and commits each report, so a crash loses at most the reports not yet written.
     */
    public synchronized StatsFile stats() {
        if (stats == null) {
            stats = new StatsFile(path.resolve(STATS).toFile());
        }
        return stats;
    }

    /** Closes the training stats and releases the folder to other commands. */
    @Override
    public synchronized void close() {
        try {
            if (stats != null) {
                stats.close();
            }
        } finally {
            try {
                lock.release();
            } catch (IOException ignored) {
                // Closing the channel below releases it too.
            }
            closeQuietly(lockChannel);
        }
    }

    /** Temporary files are private to their owner; results are not. */
    private static void readableByAll(Path file) throws IOException {
        if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        }
    }

    private static void moveIntoPlace(Path temporary, Path target) throws IOException {
        try {
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void deleteQuietly(Path file) {
        if (file == null) {
            return;
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // Only a leftover temporary file; the result itself is whole or absent.
        }
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // Nothing was written through it.
        }
    }

    /** Writes the bytes of one file. */
    @FunctionalInterface
    public interface Content {
        void writeTo(OutputStream out) throws IOException;
    }
}
