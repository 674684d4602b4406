/**
 * Tools for BN networks at inference: folding BN into the layer before it, and recomputing BN's
 * running statistics exactly (precise BN).
 *
 * <p>Library API: what the README's "Use bnlab from your own project" offers from here is
 * public and stable; it needs none of bnlab's optional dependencies.
 */
package bnlab.infer;
