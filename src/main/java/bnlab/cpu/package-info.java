/**
 * Setting DL4J up for the CPU, chosen by measurement: the native build, threads and OpenBLAS
 * kernels before ND4J loads, and, through {@link bnlab.cpu.CpuTuning#apply} where a network is
 * created or loaded, layer helpers on oneDNN's own primitives and DL4J's updater on its own path.
 * Same results as DL4J's defaults, faster; docs/PERFORMANCE.md has the figures.
 *
 * <p>Library API: what the README's "Use bnlab from your own project" offers from here is
 * public and stable; it needs none of bnlab's optional dependencies.
 */
package bnlab.cpu;
