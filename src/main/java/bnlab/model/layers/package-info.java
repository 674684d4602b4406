/**
 * Layers DL4J lacks, each a configuration, an implementation and (where it has parameters) an
 * initializer, serializable like DL4J's own: GroupNormalization and a BatchNormalization frozen
 * for transfer learning.
 */
package bnlab.model.layers;
