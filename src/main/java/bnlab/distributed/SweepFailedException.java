package bnlab.distributed;

/** Some of a sweep's runs failed on Spark; the others finished and are kept. */
public final class SweepFailedException extends RuntimeException {

    SweepFailedException(String message) {
        super(message);
    }
}
