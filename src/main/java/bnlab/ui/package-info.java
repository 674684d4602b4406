/**
 * DL4J's training dashboard, bound to the loopback interface, with a stats file per run folder.
 *
 * <p>bnlab's application: public only for bnlab's other packages, not an API for other
 * projects, and it needs the dependencies that bnlab's pom marks optional.
 */
package bnlab.ui;
