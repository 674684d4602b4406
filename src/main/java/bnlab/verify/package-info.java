/**
 * Checks that a trained BN network behaves as BN should in training and in inference, and
 * demonstrations of DL4J's traps around BN, each a {@link bnlab.verify.Check} against a stated
 * bound that says, when it fails, why and what to do.
 *
 * <p>Library API: what the README's "Use bnlab from your own project" offers from here is
 * public and stable; it needs none of bnlab's optional dependencies.
 */
package bnlab.verify;
