/**
 * The data bnlab trains on: IDX files read and checked against their SHA-256 ({@link
 * bnlab.data.KnownDataset}: the bundled MNIST, Debian's Fashion-MNIST), in-memory train and test
 * sets, and seeded batch iterators laid out for flat, image or sequence input.
 *
 * <p>Library API: what the README's "Use bnlab from your own project" offers from here is
 * public and stable; it needs none of bnlab's optional dependencies.
 */
package bnlab.data;
