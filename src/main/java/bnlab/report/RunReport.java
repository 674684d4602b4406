package bnlab.report;

import bnlab.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * {@code index.html}: a run folder's results on one page that a browser opens from the disk,
 * without a server. It shows what the folder holds, whichever command wrote it: how the run
 * ended, its verdicts and checks (findings.md, verify.md), its charts, final figures, the
 * per-epoch table, timings (bench.json), settings, and links to every file.
 */
public final class RunReport {

    public static final String FILE = "index.html";

    private static final String STYLE = """
            body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 1320px; padding: 0 1em; color: #222; }
            h1 small { color: #666; font-weight: normal; }
            .status { font-size: 1.1em; } .status b { padding: 0.1em 0.5em; border-radius: 4px; background: #ddd; }
            .status-done b { background: #c8ecc8; } .status-failed b, .status-diverged b { background: #f4c7c3; }
            .status-running b { background: #fde7a9; }
            table { border-collapse: collapse; margin: 0.5em 0 1em; }
            th, td { border: 1px solid #ccc; padding: 0.2em 0.6em; text-align: left; }
            td.number { text-align: right; font-variant-numeric: tabular-nums; }
            thead th { background: #f2f2f2; position: sticky; top: 0; }
            figure { display: inline-block; margin: 0 1em 1em 0; } img { max-width: 100%; border: 1px solid #ddd; }
            code { background: #f4f4f4; padding: 0 0.2em; }
            """;

    private final Path folder;

    private RunReport(Path folder) {
        this.folder = folder;
    }

    /** Writes {@code index.html} for the folder as its files stand now. */
    public static void write(RunFolder out) {
        out.writeString(FILE, html(out.path()));
    }

    /** The page for the run folder at {@code folder}. */
    static String html(Path folder) {
        return new RunReport(folder).page();
    }

    private String page() {
        JsonNode status = json("status.json");
        String command = status.path("command").asText("run");
        String name = String.valueOf(folder.toAbsolutePath().normalize().getFileName());
        StringBuilder page = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<title>").append(Html.escape("bnlab " + command + " · " + name)).append("</title>\n")
                .append("<style>\n").append(STYLE).append("</style>\n</head>\n<body>\n")
                .append("<h1>bnlab ").append(Html.escape(command)).append(" <small>")
                .append(Html.escape(name)).append("</small></h1>\n");
        page.append(statusLine(status));
        markdownSection(page, "findings", null, "findings.md");
        markdownSection(page, "checks", "Checks", "verify.md");
        charts(page);
        finalFigures(page);
        epochs(page);
        timings(page);
        settings(page);
        files(page);
        return page.append("</body>\n</html>\n").toString();
    }

    private String statusLine(JsonNode status) {
        if (status.isMissingNode()) {
            return "";
        }
        String state = status.path("status").asText();
        StringBuilder line = new StringBuilder("<p class=\"status status-").append(Html.escape(state)).append("\"><b>")
                .append(Html.escape(state)).append("</b> started ").append(Html.escape(status.path("started").asText()))
                .append(", last updated ").append(Html.escape(status.path("updated").asText()));
        if (status.hasNonNull("message")) {
            line.append(": ").append(Html.escape(status.path("message").asText()));
        }
        return line.append("</p>\n").toString();
    }

    private void markdownSection(StringBuilder page, String id, String title, String file) {
        String markdown = text(file);
        if (markdown != null) {
            page.append("<section id=\"").append(id).append("\">\n");
            if (title != null) {
                page.append("<h2>").append(title).append("</h2>\n");
            }
            page.append(Html.markdown(markdown)).append("</section>\n");
        }
    }

    private void charts(StringBuilder page) {
        List<String> pngs = names(name -> name.endsWith(".png"));
        if (pngs.isEmpty()) {
            return;
        }
        page.append("<section id=\"charts\">\n<h2>Charts</h2>\n");
        for (String png : pngs) {
            String escaped = Html.escape(png);
            page.append("<figure><img src=\"").append(escaped).append("\" alt=\"").append(escaped)
                    .append("\"><figcaption>").append(escaped).append("</figcaption></figure>\n");
        }
        page.append("</section>\n");
    }

    /** summary.json's models, one row each. */
    private void finalFigures(StringBuilder page) {
        JsonNode models = json("summary.json").path("models");
        if (models.isEmpty()) {
            return;
        }
        List<Map<String, String>> rows = new ArrayList<>();
        models.fields().forEachRemaining(model -> {
            Map<String, String> row = new LinkedHashMap<>();
            row.put("model", model.getKey());
            flatten("", model.getValue(), row);
            rows.add(row);
        });
        page.append("<section id=\"summary\">\n<h2>Final figures</h2>\n").append(table(rows)).append("</section>\n");
    }

    private void epochs(StringBuilder page) {
        String csv = text("history.csv");
        if (csv == null) {
            return;
        }
        List<List<String>> rows = new ArrayList<>();
        csv.lines().skip(1).filter(line -> !line.isBlank()).forEach(line -> rows.add(List.of(line.split(",", -1))));
        List<String> header = List.of(csv.lines().findFirst().orElse("").split(","));
        page.append("<section id=\"epochs\">\n<h2>Per epoch</h2>\n").append(Html.table(header, rows))
                .append("</section>\n");
    }

    /** bench.json's results, one row each. */
    private void timings(StringBuilder page) {
        JsonNode results = json("bench.json").path("results");
        if (results.isEmpty()) {
            return;
        }
        List<Map<String, String>> rows = new ArrayList<>();
        results.forEach(result -> {
            Map<String, String> row = new LinkedHashMap<>();
            flatten("", result, row);
            rows.add(row);
        });
        page.append("<section id=\"timings\">\n<h2>Timings</h2>\n").append(table(rows)).append("</section>\n");
    }

    private void settings(StringBuilder page) {
        JsonNode settings = json("settings.json");
        if (settings.isMissingNode()) {
            return;
        }
        Map<String, String> flat = new LinkedHashMap<>();
        flatten("", settings, flat);
        List<List<String>> rows = flat.entrySet().stream().map(e -> List.of(e.getKey(), e.getValue())).toList();
        page.append("<section id=\"settings\">\n<h2>Settings</h2>\n")
                .append(Html.table(List.of("setting", "value"), rows)).append("</section>\n");
    }

    private void files(StringBuilder page) {
        page.append("<section id=\"files\">\n<h2>Files</h2>\n<ul>\n");
        for (String name : names(name -> !name.equals(FILE))) {
            String shown = Files.isDirectory(folder.resolve(name)) ? name + "/" : name;
            page.append("<li><a href=\"").append(Html.escape(shown)).append("\">").append(Html.escape(shown))
                    .append("</a>");
            if (name.equals(RunFolder.STATS)) {
                page.append(" (DL4J's dashboard replays it: <code>bnlab ui ")
                        .append(Html.escape(folder.toString())).append("</code>)");
            }
            page.append("</li>\n");
        }
        page.append("</ul>\n</section>\n");
    }

    /** Rows of differing keys as one table, with a column for every key in the order first seen. */
    private static String table(List<Map<String, String>> rows) {
        List<String> header = rows.stream().flatMap(row -> row.keySet().stream()).distinct().toList();
        List<List<String>> cells = rows.stream()
                .map(row -> header.stream().map(key -> row.getOrDefault(key, "")).toList())
                .toList();
        return Html.table(header, cells);
    }

    /** Every value under {@code node} by its dotted path; lists of plain values as one value. */
    private static void flatten(String path, JsonNode node, Map<String, String> into) {
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                flatten(path.isEmpty() ? field.getKey() : path + "." + field.getKey(), field.getValue(), into);
            }
        } else if (node.isArray() && ofPlainValues(node)) {
            List<String> values = new ArrayList<>();
            node.forEach(value -> values.add(value.asText()));
            into.put(path, String.join(", ", values));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                flatten(path + "[" + i + "]", node.get(i), into);
            }
        } else {
            into.put(path, node.isNull() ? "" : node.asText());
        }
    }

    private static boolean ofPlainValues(JsonNode array) {
        for (JsonNode element : array) {
            if (!element.isValueNode()) {
                return false;
            }
        }
        return true;
    }

    private List<String> names(Predicate<String> wanted) {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(file -> file.getFileName().toString())
                    .filter(name -> !name.startsWith("."))
                    .filter(wanted)
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + folder, e);
        }
    }

    private String text(String name) {
        Path file = folder.resolve(name);
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private JsonNode json(String name) {
        String text = text(name);
        try {
            return text == null ? MissingNode.getInstance() : Json.MAPPER.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + folder.resolve(name), e);
        }
    }
}
