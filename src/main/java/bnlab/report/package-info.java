/**
 * The run folder (atomic writes, a lock, status) and what goes in it: charts, tables, summary.json
 * and the HTML report.
 */
package bnlab.report;
