package bnlab.report;

import bnlab.train.Status;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RunReportTest {

    @TempDir
    Path dir;

    @Test
    void showsWhatTheFolderHoldsWithEverythingEscaped() throws IOException {
        try (RunFolder out = RunFolder.open(dir.resolve("experiment <1>"))) {
            out.start("experiment", Map.of("name", "<b>placement</b>", "seeds", List.of(1, 2)));
            out.writeString("findings.md", "# placement\n\n**Verdict:** BN helps <script>alert('x')</script>\n\n"
                    + "| variant | accuracy |\n|---|---|\n| bn_before | 0.97 |\n\n[bad](javascript:alert(1))\n");
            out.writeString("history.csv", "model,epoch,train_loss,train_accuracy,val_loss,val_accuracy,seconds\n"
                    + "mlp,1,0.123456789,0.9,0.2,0.91,12.5\nmlp,2,0.1,0.95,0.15,0.93,11.25\n");
            out.writePng("placement.png", new BufferedImage(4, 4, BufferedImage.TYPE_INT_RGB));
            out.finish(Status.DIVERGED, "mlp diverged at <iteration 3>");
            RunReport.write(out);
        }
        String html = Files.readString(dir.resolve("experiment <1>").resolve("index.html"));

        assertFalse(html.contains("<script>") || html.contains("<b>placement") || html.contains("<iteration"), html);
        assertFalse(html.contains("javascript:"), "unsafe links are dropped: " + html);
        assertTrue(html.contains("<title>bnlab experiment · experiment &lt;1&gt;</title>"), html);
        assertTrue(html.contains("<p class=\"status status-diverged\"><b>diverged</b>"), html);
        assertTrue(html.contains(": mlp diverged at &lt;iteration 3&gt;</p>"), html);
        assertTrue(html.contains("&lt;script&gt;alert('x')&lt;/script&gt;"), "Markdown's raw HTML is text: " + html);
        assertTrue(html.contains("<td>bn_before</td>"), "Markdown tables are tables: " + html);
        assertTrue(html.contains("<img src=\"placement.png\""), html);
        assertTrue(html.contains("<tr><td>mlp</td><td class=\"number\">1</td><td class=\"number\">0.1235</td>"),
                "per-epoch rows, to four significant digits: " + html);
        assertTrue(html.contains("<td>settings.name</td><td>&lt;b&gt;placement&lt;/b&gt;</td>"), html);
        assertTrue(html.contains("<td>settings.seeds</td><td>1, 2</td>"), html);
        assertTrue(html.contains("<a href=\"history.csv\">history.csv</a>"), html);
        assertFalse(html.contains("href=\".lock\"") || html.contains("href=\"index.html\""), html);
    }
}
