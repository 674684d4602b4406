/**
 * Stock DL4J configurations with BatchNormalization, built from small immutable records ({@link
 * bnlab.model.Mlp}, {@link bnlab.model.Cnn}, {@link bnlab.model.Rnn}), the networks named on the
 * command line ({@link bnlab.model.BuiltInModel}), Keras's BN defaults ({@link
 * bnlab.model.KerasBatchNorm}), and model files.
 *
 * <p>Library API: what the README's "Use bnlab from your own project" offers from here is
 * public and stable; it needs none of bnlab's optional dependencies.
 */
package bnlab.model;
