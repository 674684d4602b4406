/**
 * The run folder (atomic writes, a lock, status) and what goes in it: charts, tables, summary.json
 * and the HTML report.
 *
 * <p>bnlab's application: public only for bnlab's other packages, not an API for other
 * projects, and it needs the dependencies that bnlab's pom marks optional.
 */
package bnlab.report;
