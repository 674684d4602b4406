/**
 * The command line: picocli commands that parse, check input in order, and map outcomes to exit
 * codes; the work itself is in the other packages.
 *
 * <p>bnlab's application: public only for bnlab's other packages, not an API for other
 * projects, and it needs the dependencies that bnlab's pom marks optional.
 */
package bnlab.cli;
