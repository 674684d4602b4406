/**
 * The fit loop ({@link bnlab.train.Trainer}) and what it records: per-epoch and per-iteration
 * history, progress, divergence, warnings for batches of one, gradient norms, activation
 * percentiles, checkpoints, and gradient accumulation.
 */
package bnlab.train;
