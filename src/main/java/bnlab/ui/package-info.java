/**
 * DL4J's training dashboard, bound to the loopback interface, with a stats file per run folder.
 */
package bnlab.ui;
