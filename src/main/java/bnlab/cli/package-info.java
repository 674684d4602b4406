/**
 * The command line: picocli commands that parse, check input in order, and map outcomes to exit
 * codes; the work itself is in the other packages.
 */
package bnlab.cli;
