/**
 * Timing of training and inference in one process, DL4J's defaults against bnlab's settings, with
 * and without recording listeners.
 */
package bnlab.bench;
