/**
 * Timing of training and inference in one process, DL4J's defaults against bnlab's settings, with
 * and without recording listeners; and what folding BN changes in a network ({@link
 * bnlab.bench.FoldReport}).
 *
 * <p>bnlab's application: public only for bnlab's other packages, not an API for other
 * projects, and it needs the dependencies that bnlab's pom marks optional.
 */
package bnlab.bench;
