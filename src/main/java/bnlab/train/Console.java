package bnlab.train;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * Where a command tells the user how training goes.
 *
 * @param out      the stream, or null to say nothing
 * @param terminal whether {@code out} is a terminal, where a progress line can be redrawn
 */
public record Console(PrintWriter out, boolean terminal) {

    public static Console none() {
        return new Console(null, false);
    }

    public boolean silent() {
        return out == null;
    }

    public void printf(String format, Object... args) {
        if (out != null) {
            out.printf(Locale.ROOT, format, args);
            out.flush();
        }
    }
}
