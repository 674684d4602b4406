/**
 * Distributed execution on Apache Spark: an experiment's independent runs (variant x seed)
 * trained as Spark tasks ({@link bnlab.distributed.SparkSweep}), into the same run folder as a
 * run in one process. Spark's own ports stay on the loopback interface when the cluster is on
 * this machine, and its web UI is off.
 *
 * <p>bnlab's application: public only for bnlab's other packages, not an API for other
 * projects, and it needs the dependencies that bnlab's pom marks optional.
 */
package bnlab.distributed;
