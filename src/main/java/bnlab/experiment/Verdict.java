package bnlab.experiment;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What an experiment measured of one part of its claim.
 *
 * @param claim    the part of the claim judged, e.g. "BN helps the LSTM"
 * @param context  figures that explain the evidence without deciding it, or empty
 * @param evidence the comparison that decides it
 */
public record Verdict(String claim, String context, Comparison evidence) {

    public Verdict(String claim, Comparison evidence) {
        this(claim, "", evidence);
    }

    @JsonProperty
    public Outcome outcome() {
        return evidence.outcome();
    }

    /** "BN helps the LSTM (context): holds: final validation accuracy ..." */
    public String sentence() {
        return claim + (context.isEmpty() ? "" : " (" + context + ")") + ": " + evidence.sentence();
    }

    /** "BN helps the LSTM: holds" */
    public String brief() {
        return claim + ": " + outcome().words();
    }
}
