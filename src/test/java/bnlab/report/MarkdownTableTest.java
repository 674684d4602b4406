package bnlab.report;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class MarkdownTableTest {

    @Test
    void writesGitHubsTableRowByRow() {
        assertEquals("| variant | accuracy |\n|---|---|\n| bn | 0.98 |\n| no_bn | 1 |\n",
                MarkdownTable.of("variant", "accuracy").row("bn", "0.98").row(List.of("no_bn", 1)).toString());
    }
}
