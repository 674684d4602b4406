package bnlab.advise;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.layers.BaseRecurrentLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;
import org.deeplearning4j.nn.conf.preprocessor.RnnToFeedForwardPreProcessor;

import java.util.ArrayList;
import java.util.List;

/**
 * BN on the sequences of a recurrent network: a BN with a recurrent layer (LSTM, SimpleRnn,
 * Bidirectional...) before it and no LastTimeStep or GlobalPoolingLayer in between, which
 * would have turned the sequence into one vector per example. This covers BN right after a
 * recurrent layer, which gets the sequences themselves, and BN after a Dense layer between
 * recurrent layers, which DL4J feeds every time step as an example of its own, as it does a
 * BN right after a recurrent layer when an RnnToFeedForwardPreProcessor turns the sequences into
 * rows of time steps (the only way DL4J's BN trains on them).
 */
final class BnInRecurrentNet implements Rule {

    static final String ID = "bn-in-recurrent-net";

    @Override
    public List<Finding> check(MultiLayerConfiguration configuration) {
        List<Layer> layers = Layers.of(configuration);
        List<Finding> findings = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            int recurrent = Layers.isBatchNormalization(layers.get(i)) ? recurrentSource(layers, i) : -1;
            if (recurrent < 0) {
                continue;
            }
            // A preprocessor that turns sequences into rows hands BN one time step per row, as a Dense layer would.
            boolean onSequences = recurrent == previousWithParameters(layers, i)
                    && !(configuration.getInputPreProcess(i) instanceof RnnToFeedForwardPreProcessor);
            findings.add(Finding.at(i, layers.get(i), ID,
                    (onSequences ? "BN normalizes the sequences of recurrent " : "BN normalizes time steps inside "
                            + "the recurrent stack after ") + Layers.named(recurrent, layers.get(recurrent)) + ".",
                    "BN pools one mean and variance per feature over the batch and all time steps, though "
                            + "recurrent activations differ from step to step, and DL4J's BN ignores the mask, so "
                            + "padding steps enter the statistics. The tutorial recommends layer normalization for "
                            + "recurrent networks: it normalizes each example at each step on its own."
                            + (onSequences ? " Here DL4J 1.0.0-M2.1 cannot even train it: its BN takes the batch "
                            + "axis of sequence input for the feature axis (it runs only when the batch size equals "
                            + "the number of features) and cannot backpropagate through sequence input." : ""),
                    "Use layer normalization in this BN's place: bnlab's GroupNormalization with one group behind "
                            + "an RnnToFeedForwardPreProcessor normalizes each time step of each example, and "
                            + "DenseLayer.Builder().hasLayerNorm(true) works for Dense layers between recurrent "
                            + "ones. (SimpleRnn.Builder().hasLayerNorm(true) fails to run in DL4J 1.0.0-M2.1, and "
                            + "its LSTM has no such option.)"));
        }
        return findings;
    }

    private static int previousWithParameters(List<Layer> layers, int i) {
        for (int j = i - 1; j >= 0; j--) {
            if (Layers.hasParameters(layers.get(j))) {
                return j;
            }
        }
        return -1;
    }

    private static int recurrentSource(List<Layer> layers, int bn) {
        for (int j = bn - 1; j >= 0; j--) {
            Layer layer = Layers.unwrapped(layers.get(j));
            if (layer instanceof LastTimeStep || layer instanceof GlobalPoolingLayer) {
                return -1;
            }
            if (layer instanceof BaseRecurrentLayer || layer instanceof Bidirectional) {
                return j;
            }
        }
        return -1;
    }
}
