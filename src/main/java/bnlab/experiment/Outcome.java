package bnlab.experiment;

/** What a measurement says of a claim. */
public enum Outcome {

    /** The claimed side is ahead by more than the test's bound. */
    HOLDS("holds"),
    /** Neither side is ahead by more than the bound, or there was no spread to judge by. */
    NOT_SHOWN("not shown"),
    /** The other side is ahead by more than the bound. */
    OPPOSITE("the opposite was measured");

    private final String words;

    Outcome(String words) {
        this.words = words;
    }

    /** As a sentence says it. */
    public String words() {
        return words;
    }

    /** As findings.json records it: "holds", "not_shown", "opposite". */
    @Override
    public String toString() {
        return name().toLowerCase();
    }
}
