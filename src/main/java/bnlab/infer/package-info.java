/**
 * Tools for BN networks at inference: folding BN into the layer before it, and recomputing BN's
 * running statistics exactly (precise BN).
 */
package bnlab.infer;
