package bnlab.data;

import bnlab.BadInputException;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * One file in LeCun's IDX format, the format of MNIST and Fashion-MNIST: a magic number
 * (data type and rank), the size of each dimension as a big-endian int, then the values.
 * Only unsigned-byte files are accepted. The file may be gzip-compressed or raw.
 *
 * <p>Every problem is reported as a {@link BadInputException} naming the file.
 */
public final class IdxFile {

    private static final int UNSIGNED_BYTE = 0x08;

    private final Path path;
    private final int[] dimensions;
    private final byte[] content;

    private IdxFile(Path path, int[] dimensions, byte[] content) {
        this.path = path;
        this.dimensions = dimensions;
        this.content = content;
    }

    /**
     * Reads a file and checks its structure.
     *
     * @param rank the rank the file must have: 3 for images, 1 for labels
     */
    public static IdxFile read(Path path, int rank) {
        byte[] bytes = uncompressedBytes(path);
        int headerLength = 4 + 4 * rank;
        if (bytes.length < headerLength) {
            throw problem(path, "truncated: " + bytes.length + " bytes, shorter than the "
                    + headerLength + "-byte IDX header");
        }
        ByteBuffer header = ByteBuffer.wrap(bytes, 0, headerLength);
        int magic = header.getInt();
        int expectedMagic = (UNSIGNED_BYTE << 8) | rank;
        if (magic != expectedMagic) {
            throw problem(path, String.format("wrong IDX magic number 0x%08X, expected 0x%08X "
                    + "(unsigned bytes, %d dimension%s)", magic, expectedMagic, rank, rank == 1 ? "" : "s"));
        }
        int[] dimensions = new int[rank];
        long values = 1;
        for (int i = 0; i < rank; i++) {
            dimensions[i] = header.getInt();
            if (dimensions[i] <= 0) {
                throw problem(path, "dimension " + i + " has size " + dimensions[i]);
            }
            values *= dimensions[i];
        }
        long expectedLength = headerLength + values;
        if (bytes.length < expectedLength) {
            throw problem(path, "truncated: the header promises " + values + " values (dimensions "
                    + Arrays.toString(dimensions) + "), the file holds " + (bytes.length - headerLength));
        }
        if (bytes.length > expectedLength) {
            throw problem(path, (bytes.length - expectedLength) + " bytes after the last value of "
                    + Arrays.toString(dimensions));
        }
        return new IdxFile(path, dimensions, bytes);
    }

    /**
     * Checks the SHA-256 of the uncompressed content, so that any gzip of the same file passes.
     * Called after the checks of content, which give the more telling message when both fail.
     */
    public void requireSha256(String expected) {
        String actual = sha256(content);
        if (!actual.equals(expected)) {
            throw problem(path, "SHA-256 " + actual + " differs from the published " + expected
                    + ": the file is damaged or is another file");
        }
    }

    public Path path() {
        return path;
    }

    public int[] dimensions() {
        return dimensions.clone();
    }

    /** Number of items, the size of the first dimension. */
    public int count() {
        return dimensions[0];
    }

    /** Value {@code index}, counted in row-major order over all dimensions, as 0 to 255. */
    public int value(int index) {
        return content[4 + 4 * dimensions.length + index] & 0xFF;
    }

    private static byte[] uncompressedBytes(Path path) {
        try (InputStream raw = Files.newInputStream(path)) {
            byte[] start = raw.readNBytes(2);
            if (start.length == 0) {
                throw problem(path, "empty file");
            }
            boolean gzip = start.length == 2 && (start[0] & 0xFF) == 0x1F && (start[1] & 0xFF) == 0x8B;
            if (!gzip) {
                return concat(start, raw.readAllBytes());
            }
        } catch (NoSuchFileException e) {
            throw problem(path, "file not found");
        } catch (IOException e) {
            throw problem(path, "cannot be read: " + e.getMessage());
        }
        try (InputStream in = new GZIPInputStream(Files.newInputStream(path))) {
            return in.readAllBytes();
        } catch (EOFException e) {
            throw problem(path, "truncated gzip data (the compressed stream ends early)");
        } catch (ZipException e) {
            throw problem(path, "corrupt gzip data (" + e.getMessage() + ")");
        } catch (IOException e) {
            throw problem(path, "cannot be read: " + e.getMessage());
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    static BadInputException problem(Path path, String what) {
        return new BadInputException(path + ": " + what);
    }
}
