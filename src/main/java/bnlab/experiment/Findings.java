package bnlab.experiment;

/**
 * What an experiment found.
 *
 * @param verdict  one line: whether the claim held, with the figures that decide it
 * @param markdown the measurements behind it, as Markdown tables and notes
 */
public record Findings(String verdict, String markdown) {
}
