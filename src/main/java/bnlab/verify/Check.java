package bnlab.verify;

/**
 * One verified claim about BatchNormalization: what was measured, the bound it was held to,
 * whether it held, and, for when it does not, what most likely caused that and what to do.
 *
 * @param name     short name, for tables
 * @param claim    what is claimed, in a sentence
 * @param measured the measured value
 * @param bound    the condition {@code measured} must meet, in words ("<= 1e-05")
 * @param passed   whether it met it
 * @param detail   further figures that explain the result
 * @param ifFailed the most likely cause of a failure and the remedy, in a sentence or two
 */
public record Check(String name, String claim, double measured, String bound, boolean passed, String detail,
                    String ifFailed) {

    static Check atMost(String name, String claim, double measured, double bound, String detail, String ifFailed) {
        return new Check(name, claim, measured, "<= " + bound, measured <= bound, detail, ifFailed);
    }

    static Check atLeast(String name, String claim, double measured, double bound, String detail, String ifFailed) {
        return new Check(name, claim, measured, ">= " + bound, measured >= bound, detail, ifFailed);
    }
}
