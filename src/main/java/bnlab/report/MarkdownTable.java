package bnlab.report;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/** A Markdown table (GitHub's), built a row at a time: {@code MarkdownTable.of("a", "b").row(1, 2)}. */
public final class MarkdownTable {

    private final StringBuilder text = new StringBuilder();

    private MarkdownTable(List<?> headers) {
        line(headers);
        text.append("|---".repeat(headers.size())).append("|\n");
    }

    public static MarkdownTable of(Object... headers) {
        return of(Arrays.asList(headers));
    }

    public static MarkdownTable of(List<?> headers) {
        return new MarkdownTable(headers);
    }

    /** A row of cells, each as {@code String.valueOf} writes it. */
    public MarkdownTable row(Object... cells) {
        return row(Arrays.asList(cells));
    }

    public MarkdownTable row(List<?> cells) {
        line(cells);
        return this;
    }

    private void line(List<?> cells) {
        text.append(cells.stream().map(String::valueOf).collect(Collectors.joining(" | ", "| ", " |\n")));
    }

    @Override
    public String toString() {
        return text.toString();
    }
}
