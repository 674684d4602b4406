package bnlab.train;

import java.io.Serializable;

/**
 * The name of a training run: its variant and, for runs repeated over seeds, its seed. Its
 * text names the run in results and files: "bn_before-s2", or "mlp_bn" for a run of its own.
 *
 * @param variant what the run trains, e.g. "bn_before"
 * @param seed    the seed, or null for a run that is not one of several seeds
 */
public record RunName(String variant, Long seed) implements Serializable {

    public static RunName of(String variant, long seed) {
        return new RunName(variant, seed);
    }

    /** A run that is not one of several seeds of its variant, named by the variant alone. */
    public static RunName of(String variant) {
        return new RunName(variant, null);
    }

    @Override
    public String toString() {
        return seed == null ? variant : variant + "-s" + seed;
    }
}
