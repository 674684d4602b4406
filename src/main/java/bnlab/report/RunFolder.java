package bnlab.report;

import bnlab.BadInputException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/**
 * The folder a command writes its results to. Every file is written to a temporary file in
 * the folder and renamed into place, so a reader never sees half a file and a crash leaves
 * the previous version whole.
 */
public final class RunFolder {

    /** snake_case names, and paths as they were given rather than as URIs. */
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.WRITE_ENUMS_USING_TO_STRING)
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .registerModule(new SimpleModule().addSerializer(Path.class, ToStringSerializer.instance));
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    private final Path path;

    private RunFolder(Path path) {
        this.path = path;
    }

    /** Opens {@code path}, creating it if needed; it must be a writable folder. */
    public static RunFolder open(Path path) {
        if (Files.exists(path) && !Files.isDirectory(path)) {
            throw new BadInputException(path + ": output folder is a file");
        }
        try {
            Files.createDirectories(path);
        } catch (IOException e) {
            throw new BadInputException(path + ": cannot create the output folder (" + e.getMessage() + ")");
        }
        if (!Files.isWritable(path)) {
            throw new BadInputException(path + ": output folder is not writable");
        }
        return new RunFolder(path);
    }

    /** A new folder {@code runs/<command>-<date>-<time>}, numbered if that name is taken. */
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
                throw new BadInputException(candidate + ": cannot create the output folder (" + e.getMessage() + ")");
            }
        }
    }

    public Path path() {
        return path;
    }

    public Path resolve(String name) {
        return path.resolve(name);
    }

    public void writeString(String name, String text) {
        write(name, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
    }

    public void writeJson(String name, Object value) {
        write(name, out -> JSON.writeValue(out, value));
    }

    public void writePng(String name, BufferedImage image) {
        write(name, out -> ImageIO.write(image, "png", out));
    }

    /** Writes {@code name} through a temporary file renamed into place. */
    public void write(String name, Content content) {
        Path target = path.resolve(name);
        Path temporary = null;
        try {
            temporary = Files.createTempFile(path, "." + name + ".", ".tmp");
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

    /** Writes the bytes of one file. */
    @FunctionalInterface
    public interface Content {
        void writeTo(OutputStream out) throws IOException;
    }
}
