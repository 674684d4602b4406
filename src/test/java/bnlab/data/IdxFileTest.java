package bnlab.data;

import bnlab.BadInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IdxFileTest {

    static final Path MNIST = Path.of("data", "mnist");
    static final Path TEST_LABELS = MNIST.resolve("t10k-labels-idx1-ubyte.gz");
    static final Path TEST_IMAGES = MNIST.resolve("t10k-images-idx3-ubyte.gz");

    @TempDir
    Path dir;

    @Test
    void readsTheBundledTestImagesAndLabels() {
        IdxFile images = IdxFile.read(TEST_IMAGES, 3);
        IdxFile labels = IdxFile.read(TEST_LABELS, 1);
        assertArrayEquals(new int[]{10000, 28, 28}, images.dimensions());
        assertEquals(10000, labels.count());
        assertEquals(7, labels.value(0));
    }

    @Test
    void readsRawFilesAsWellAsGzip() throws IOException {
        Path raw = dir.resolve("labels");
        Files.write(raw, gunzip(TEST_LABELS));
        assertEquals(7, IdxFile.read(raw, 1).value(0));
    }

    @Test
    void missingFile() {
        assertProblem(dir.resolve("nothing.gz"), 1, "file not found");
    }

    @Test
    void emptyFile() throws IOException {
        Path empty = Files.createFile(dir.resolve("empty"));
        assertProblem(empty, 1, "empty file");
    }

    @Test
    void truncatedRawFile() throws IOException {
        byte[] labels = gunzip(TEST_LABELS);
        Path cut = dir.resolve("cut");
        Files.write(cut, Arrays.copyOf(labels, labels.length - 100));
        assertProblem(cut, 1, "truncated: the header promises 10000 values");
    }

    @Test
    void fileShorterThanItsHeader() throws IOException {
        Path cut = dir.resolve("cut");
        Files.write(cut, new byte[]{0, 0, 8, 3, 0, 0});
        assertProblem(cut, 3, "shorter than the 16-byte IDX header");
    }

    @Test
    void truncatedGzipStream() throws IOException {
        byte[] gz = Files.readAllBytes(TEST_LABELS);
        Path cut = dir.resolve("cut.gz");
        Files.write(cut, Arrays.copyOf(gz, gz.length / 2));
        assertProblem(cut, 1, "truncated gzip data");
    }

    @Test
    void corruptGzipData() throws IOException {
        byte[] gz = Files.readAllBytes(TEST_IMAGES);
        for (int i = 1000; i < 1100; i++) {
            gz[i] = (byte) ~gz[i];
        }
        Path corrupt = dir.resolve("corrupt.gz");
        Files.write(corrupt, gz);
        assertProblem(corrupt, 3, "corrupt gzip data");
    }

    @Test
    void wrongMagicNumber() throws IOException {
        Path labelsAsImages = dir.resolve("labels.gz");
        Files.copy(TEST_LABELS, labelsAsImages);
        assertProblem(labelsAsImages, 3, "wrong IDX magic number 0x00000801, expected 0x00000803");
    }

    @Test
    void bytesAfterTheLastValue() throws IOException {
        byte[] labels = gunzip(TEST_LABELS);
        Path longer = dir.resolve("longer.gz");
        gzip(longer, Arrays.copyOf(labels, labels.length + 3));
        assertProblem(longer, 1, "3 bytes after the last value");
    }

    @Test
    void checksumIsOfTheUncompressedContent() throws IOException {
        Path recompressed = dir.resolve("labels.gz");
        gzip(recompressed, gunzip(TEST_LABELS));
        IdxFile labels = IdxFile.read(recompressed, 1);
        labels.requireSha256("ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2");
        BadInputException e = assertThrows(BadInputException.class, () -> labels.requireSha256("00".repeat(32)));
        assertTrue(e.getMessage().contains("differs from the published"), e.getMessage());
    }

    static void assertProblem(Path file, int rank, String expected) {
        BadInputException e = assertThrows(BadInputException.class, () -> IdxFile.read(file, rank));
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertEquals(-1, e.getMessage().indexOf('\n'), "one line: " + e.getMessage());
    }

    static byte[] gunzip(Path gz) throws IOException {
        try (GZIPInputStream in = new GZIPInputStream(Files.newInputStream(gz))) {
            return in.readAllBytes();
        }
    }

    static void gzip(Path target, byte[] content) throws IOException {
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(target))) {
            out.write(content);
        }
    }
}
