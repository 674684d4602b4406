package bnlab.experiment;

import java.util.List;
import java.util.stream.Collectors;

/**
 * What an experiment found.
 *
 * @param verdicts each part of the claim with the comparison that decided it
 * @param markdown the measurements behind them, as Markdown tables, charts and notes
 */
public record Findings(List<Verdict> verdicts, String markdown) {

    public Findings {
        verdicts = List.copyOf(verdicts);
    }

    public Findings(Verdict verdict, String markdown) {
        this(List.of(verdict), markdown);
    }

    /** One line: each part of the claim and its outcome. */
    public String brief() {
        return verdicts.stream().map(Verdict::brief).collect(Collectors.joining("; "));
    }

    /** Each verdict with its figures, as a Markdown list. */
    public String verdictList() {
        return verdicts.stream().map(v -> "- " + v.sentence() + "\n").collect(Collectors.joining());
    }
}
