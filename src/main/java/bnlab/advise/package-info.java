/**
 * The BN linter: one {@link bnlab.advise.Rule} per mistake it finds in a MultiLayerConfiguration,
 * collected by {@link bnlab.advise.Advice}.
 */
package bnlab.advise;
