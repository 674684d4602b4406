/**
 * The fit loop ({@link bnlab.train.Trainer}) and what it records: per-epoch and per-iteration
 * history, progress, divergence, warnings for batches of one, gradient norms, activation
 * percentiles, checkpoints, and gradient accumulation.
 *
 * <p>Library API: what the README's "Use bnlab from your own project" offers from here is
 * public and stable; it needs none of bnlab's optional dependencies.
 */
package bnlab.train;
