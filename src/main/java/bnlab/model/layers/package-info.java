/**
 * Layers DL4J lacks, each a configuration, an implementation and (where it has parameters) an
 * initializer, serializable like DL4J's own: GroupNormalization and a BatchNormalization frozen
 * for transfer learning.
 *
 * <p>Library API: what the README's "Use bnlab from your own project" offers from here is
 * public and stable; it needs none of bnlab's optional dependencies.
 */
package bnlab.model.layers;
