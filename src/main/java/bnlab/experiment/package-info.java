/**
 * The tutorial's claims put to measurement, one small class each ({@link
 * bnlab.experiment.Experiments} lists them), run by {@link bnlab.experiment.Runner} into a run
 * folder; each states its verdicts as values ({@link bnlab.experiment.Verdict}). To add one: copy
 * the experiment class closest to it, change its claim, settings, variants and findings, and add
 * one line to {@link bnlab.experiment.Experiments}.
 *
 * <p>bnlab's application: public only for bnlab's other packages, not an API for other
 * projects, and it needs the dependencies that bnlab's pom marks optional.
 */
package bnlab.experiment;
