/**
 * The BN linter: one {@link bnlab.advise.Rule} per mistake it finds in a MultiLayerConfiguration,
 * collected by {@link bnlab.advise.Advice}.
 *
 * <p>Library API: what the README's "Use bnlab from your own project" offers from here is
 * public and stable; it needs none of bnlab's optional dependencies.
 */
package bnlab.advise;
