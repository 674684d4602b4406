package bnlab.train;

/** How a training run, or a whole command's run folder, stands. */
public enum Status {
    RUNNING, DONE, FAILED, DIVERGED;

    @Override
    public String toString() {
        return name().toLowerCase();
    }
}
