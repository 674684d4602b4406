package bnlab.report;

import org.commonmark.Extension;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;

import java.util.List;
import java.util.Locale;

/** Pieces of an HTML page, from text that is escaped wherever it lands. */
final class Html {

    private static final List<Extension> MARKDOWN_EXTENSIONS = List.of(TablesExtension.create());
    private static final Parser MARKDOWN = Parser.builder().extensions(MARKDOWN_EXTENSIONS).build();
    /** Raw HTML in the Markdown is shown as text, and only safe link targets are kept. */
    private static final HtmlRenderer MARKDOWN_HTML = HtmlRenderer.builder().extensions(MARKDOWN_EXTENSIONS)
            .escapeHtml(true).sanitizeUrls(true).build();

    private Html() {
    }

    static String escape(String text) {
        StringBuilder escaped = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '&' -> escaped.append("&amp;");
                case '<' -> escaped.append("&lt;");
                case '>' -> escaped.append("&gt;");
                case '"' -> escaped.append("&quot;");
                case '\'' -> escaped.append("&#39;");
                default -> escaped.append(c);
            }
        }
        return escaped.toString();
    }

    static String markdown(String markdown) {
        return MARKDOWN_HTML.render(MARKDOWN.parse(markdown));
    }

    /** A table with a header row; numbers with a fraction are shown to four significant digits. */
    static String table(List<String> header, List<List<String>> rows) {
        StringBuilder table = new StringBuilder("<table>\n<thead><tr>");
        header.forEach(h -> table.append("<th>").append(escape(h)).append("</th>"));
        table.append("</tr></thead>\n<tbody>\n");
        for (List<String> row : rows) {
            table.append("<tr>");
            row.forEach(cell -> table.append(isNumber(cell) ? "<td class=\"number\">" : "<td>")
                    .append(escape(shown(cell))).append("</td>"));
            table.append("</tr>\n");
        }
        return table.append("</tbody>\n</table>\n").toString();
    }

    private static String shown(String cell) {
        if (!isNumber(cell) || cell.matches("-?\\d+")) {
            return cell;
        }
        return String.format(Locale.ROOT, "%.4g", Double.parseDouble(cell));
    }

    private static boolean isNumber(String cell) {
        return cell.matches("-?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?");
    }
}
