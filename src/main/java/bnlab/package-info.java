/**
 * bnlab: Batch Normalization in Deeplearning4j, trained, measured and verified. The two classes
 * here are shared by every package: {@link bnlab.BadInputException} (input bnlab cannot use; exit
 * code 2 on the command line) and {@link bnlab.Json} (the one JSON mapper).
 */
package bnlab;
