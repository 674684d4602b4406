package bnlab.advise;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;

import java.util.List;

/** One BN best practice or DL4J trap, checked against a network's configuration. */
interface Rule {

    List<Finding> check(MultiLayerConfiguration configuration);
}
