package bnlab.model;

import bnlab.data.KnownDataset;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration.ListBuilder;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BaseRecurrentLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;
import org.deeplearning4j.nn.conf.layers.recurrent.SimpleRnn;
import org.deeplearning4j.nn.conf.preprocessor.RnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.weights.WeightInitXavierUniform;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;

/**
 * A recurrent network for sequential MNIST, which reads each image row by row: 28 time steps
 * of 28 pixels. Two recurrent layers of {@code units} units; the second one's output at the
 * last step goes to a softmax output layer.
 *
 * <p>Normalization, LAYER or BATCH, sits between the two recurrent layers and normalizes the
 * first one's output at every time step: layer normalization each step of each example over
 * its features (a one-group {@link bnlab.model.layers.GroupNormalization}, Ba et al., 2016);
 * BN each feature with one mean and variance pooled over the batch and all time steps
 * (Laurent et al., 2016). An {@link RnnToFeedForwardPreProcessor} hands the normalization each
 * time step of each example as a row, and DL4J turns the rows back into sequences for the next
 * layer: DL4J's BN takes sequence input for an image with the batch as channels, and cannot
 * train so. SimpleRnn's own layer normalization ({@code hasLayerNorm}), inside the recurrence,
 * cannot run in DL4J 1.0.0-M2.1 (its layer and the native layer_norm op disagree on the
 * gain's shape); BN inside the recurrence (statistics per time step, Cooijmans et al., 2017)
 * would need a recurrent layer of its own.
 *
 * @param cell          the recurrent layers
 * @param normalization NONE, LAYER or BATCH
 * @param units         units of each recurrent layer
 * @param updater       optimizer
 * @param seed          seed of the weight initialization
 */
public record Rnn(Cell cell, Normalization normalization, int units, IUpdater updater, long seed) {

    /** The recurrent layers a network is made of. */
    public enum Cell {
        /** DL4J's SimpleRnn with tanh, as Keras's SimpleRNN. */
        SIMPLE,
        /** DL4J's LSTM (tanh, sigmoid gates, forget-gate bias 1). */
        LSTM
    }

    public Rnn {
        if (normalization == Normalization.GROUP) {
            throw new IllegalArgumentException("group normalization is for the channels of images, not recurrent layers");
        }
        if (normalization.afterActivation()) {
            throw new IllegalArgumentException("a recurrent layer's activation is inside it: normalize with BATCH");
        }
        if (units <= 0) {
            throw new IllegalArgumentException("units must be positive, got " + units);
        }
    }

    /** Two SimpleRnn layers of 128 units, Adam with learning rate 1e-3, as the tutorial's other models. */
    public static Rnn simple(long seed) {
        return new Rnn(Cell.SIMPLE, Normalization.NONE, 128, new Adam(1e-3), seed);
    }

    public Rnn withCell(Cell cell) {
        return new Rnn(cell, normalization, units, updater, seed);
    }

    public Rnn withNormalization(Normalization normalization) {
        return new Rnn(cell, normalization, units, updater, seed);
    }

    public MultiLayerConfiguration configuration() {
        ListBuilder layers = Blocks.layers(seed, updater, new WeightInitXavierUniform(), GradientNormalization.None);
        layers.layer(recurrent());
        if (normalization != Normalization.NONE) {
            layers.layer(Blocks.normalizing(normalization)).inputPreProcessor(1, new RnnToFeedForwardPreProcessor());
        }
        return layers.layer(new LastTimeStep(recurrent()))
                .layer(Blocks.softmaxOutput(KnownDataset.CLASSES))
                .setInputType(InputType.recurrent(KnownDataset.SIDE, KnownDataset.SIDE))
                .build();
    }

    private BaseRecurrentLayer recurrent() {
        return switch (cell) {
            case SIMPLE -> new SimpleRnn.Builder().nOut(units).activation(Activation.TANH).build();
            case LSTM -> new LSTM.Builder().nOut(units).activation(Activation.TANH).build();
        };
    }
}
