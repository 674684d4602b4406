package bnlab.advise;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;

import java.util.List;

/**
 * One BN best practice or DL4J trap, checked against a network's configuration. Implement it
 * to add a check of your own to {@link Advice}; {@link Finding#at} makes a finding that names
 * the layer as the built-in rules do.
 */
public interface Rule {

    /** What this rule finds in {@code configuration}, or nothing. */
    List<Finding> check(MultiLayerConfiguration configuration);
}
