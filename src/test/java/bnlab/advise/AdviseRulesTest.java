package bnlab.advise;

import bnlab.model.BuiltInModel;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration.ListBuilder;
import org.deeplearning4j.nn.conf.dropout.AlphaDropout;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayerWithBackprop;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

import java.util.Collections;
import java.util.List;
import java.util.OptionalInt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each rule against a small network that breaks it and one that does not. */
class AdviseRulesTest {

    private static final InputType FLAT = InputType.feedForward(6);

    @Test
    void bnAfterActivation() {
        Rule rule = new BnAfterActivation();
        assertFound(rule, List.of(1), network(dense(Activation.RELU), bn(), output()));
        assertFound(rule, List.of(2), network(InputType.convolutional(8, 8, 1),
                conv(Activation.RELU), maxPool(), bn(), output()));
        List<Finding> afterActivationLayer = rule.check(network(dense(Activation.IDENTITY), relu(), bn(), output()));
        assertEquals(1, afterActivationLayer.size());
        assertTrue(afterActivationLayer.get(0).fix().contains("Move the ActivationLayer of layer 1"),
                afterActivationLayer.get(0).fix());

        assertFound(rule, List.of(), network(dense(Activation.IDENTITY), bn(), relu(), output()));
        assertFound(rule, List.of(), network(bn(), dense(Activation.RELU), output()));
    }

    @Test
    void bnOnOutput() {
        Rule rule = new BnOnOutput();
        assertFound(rule, List.of(1), network(dense(3, Activation.IDENTITY), bn(), loss()));
        assertFound(rule, List.of(2), network(dense(Activation.IDENTITY), relu(), bn(), new ActivationLayer(
                Activation.SOFTMAX), loss()));

        assertFound(rule, List.of(), network(dense(Activation.IDENTITY), bn(), relu(), output()));
        assertFound(rule, List.of(), network(dense(Activation.RELU), bn(), output()));
    }

    @Test
    void deepStackWithoutNormalization() {
        Rule rule = new DeepStackWithoutNormalization();
        List<Finding> five = rule.check(network(repeat(5, dense(Activation.RELU)), output()));
        assertEquals(1, five.size());
        assertEquals(0, five.get(0).layer());
        assertTrue(five.get(0).problem().startsWith("5 hidden layers"), five.get(0).problem());
        assertFound(rule, List.of(0), network(repeat(5, dense(Activation.IDENTITY), relu()), output()));
        assertFound(rule, List.of(2), network(dense(Activation.RELU), bn(), repeat(5, dense(Activation.LEAKYRELU)),
                output()));

        assertFound(rule, List.of(), network(repeat(4, dense(Activation.RELU)), output()));
        assertFound(rule, List.of(), network(repeat(3, dense(Activation.RELU)), bn(), repeat(3, dense(Activation.RELU)),
                output()));
        assertFound(rule, List.of(), network(repeat(6, dense(Activation.TANH)), output()));
        assertFound(rule, List.of(), network(repeat(6, layerNormDense()), output()));
        assertFound(rule, List.of(), network(repeat(6, dense(Activation.IDENTITY), bn(), relu()), output()));
        assertFound(rule, List.of(), network(repeat(3, new FrozenLayer(dense(Activation.RELU))),
                repeat(3, dense(Activation.RELU)), output()));
    }

    @Test
    void bnInRecurrentNet() {
        Rule rule = new BnInRecurrentNet();
        InputType sequences = InputType.recurrent(6);
        List<Finding> onSequences = rule.check(network(sequences, lstm(), bn(), lstm(), rnnOutput()));
        assertEquals(1, onSequences.get(0).layer());
        assertTrue(onSequences.get(0).why().contains("cannot even train"), onSequences.get(0).why());
        List<Finding> betweenRecurrent = rule.check(network(sequences, lstm(), dense(Activation.IDENTITY), bn(),
                relu(), lstm(), rnnOutput()));
        assertEquals(2, betweenRecurrent.get(0).layer());
        assertTrue(betweenRecurrent.get(0).problem().startsWith("BN normalizes time steps inside"),
                betweenRecurrent.get(0).problem());

        assertFound(rule, List.of(), network(sequences, new LastTimeStep(lstm()), bn(), output()));
        assertFound(rule, List.of(), network(sequences, bn(), lstm(), rnnOutput()));
    }

    /** bnlab's rnn_bn hands BN the time steps as rows, through a preprocessor: it trains, on pooled statistics. */
    @Test
    void bnInRecurrentNetOnTimeStepsAsRows() {
        List<Finding> findings = new BnInRecurrentNet().check(BuiltInModel.RNN_BN.configuration(1));
        assertEquals(1, findings.size());
        assertTrue(findings.get(0).problem().startsWith("BN normalizes time steps inside"), findings.get(0).problem());
        assertFalse(findings.get(0).why().contains("cannot even train"), findings.get(0).why());
    }

    @Test
    void ignoredDropout() {
        Rule rule = new IgnoredDropout();
        List<Finding> onBn = rule.check(network(dense(Activation.IDENTITY),
                new BatchNormalization.Builder().dropOut(0.5).build(), relu(), output()));
        assertEquals(1, onBn.size());
        assertTrue(onBn.get(0).problem().contains("keep probability 0.5"), onBn.get(0).problem());
        assertFound(rule, List.of(2), network(dense(Activation.IDENTITY), bn(),
                new ActivationLayer.Builder().activation(Activation.RELU).dropOut(0.5).build(), output()));
        assertFound(rule, List.of(1, 2), network(new NeuralNetConfiguration.Builder().dropOut(0.8), FLAT,
                dense(Activation.IDENTITY), bn(), relu(), output()));

        assertFound(rule, List.of(), network(dense(Activation.IDENTITY), bn(), relu(),
                new DenseLayer.Builder().nOut(4).activation(Activation.RELU).dropOut(0.5).build(), output()));
    }

    @Test
    void dropoutBeforeBn() {
        Rule rule = new DropoutBeforeBn();
        assertFound(rule, List.of(1), network(dense(Activation.IDENTITY), new DropoutLayer(0.5), bn(), relu(),
                output()));
        assertFound(rule, List.of(1), network(dense(Activation.RELU), new DropoutLayer(0.5), bn(), output()));

        assertFound(rule, List.of(), network(dense(Activation.IDENTITY), bn(), relu(), new DropoutLayer(0.5),
                dense(Activation.IDENTITY), bn(), relu(), output()));
        assertFound(rule, List.of(), network(dense(Activation.IDENTITY),
                new DropoutLayer.Builder().dropOut(new AlphaDropout(0.9)).build(), bn(), relu(), output()));
    }

    @Test
    void gradientNormalizationOnBn() {
        Rule rule = new GradientNormalizationOnBn();
        NeuralNetConfiguration.Builder clipped = new NeuralNetConfiguration.Builder()
                .gradientNormalization(GradientNormalization.ClipL2PerLayer);
        List<Finding> found = rule.check(network(clipped, FLAT, dense(Activation.IDENTITY), bn(), relu(), output()));
        assertEquals(1, found.size());
        assertTrue(found.get(0).problem().contains("ClipL2PerLayer"), found.get(0).problem());
        assertFound(rule, List.of(1), network(dense(Activation.IDENTITY), new BatchNormalization.Builder()
                .gradientNormalization(GradientNormalization.RenormalizeL2PerLayer).build(), relu(), output()));

        BatchNormalization excluded = new BatchNormalization.Builder()
                .gradientNormalization(GradientNormalization.None).build();
        assertFound(rule, List.of(), network(clipped, FLAT, dense(Activation.IDENTITY), excluded, relu(), output()));
        assertFound(rule, List.of(), network(clipped, FLAT, new FrozenLayer(dense(Activation.IDENTITY)),
                new FrozenLayer(bn()), relu(), output()));
    }

    @Test
    void smallBatch() {
        MultiLayerConfiguration withBn = network(dense(Activation.IDENTITY), bn(), relu(),
                dense(Activation.IDENTITY), bn(), relu(), output());
        List<Finding> found = new SmallBatch(4).check(withBn);
        assertEquals(1, found.size());
        assertEquals(1, found.get(0).layer());
        assertTrue(found.get(0).problem().contains("batches of 4") && found.get(0).problem().contains("layers 1, 4"),
                found.get(0).problem());

        assertFound(new SmallBatch(8), List.of(), withBn);
        assertFound(new SmallBatch(1), List.of(), network(dense(Activation.RELU), output()));
        assertFound(new SmallBatch(2), List.of(), network(new FrozenLayer(dense(Activation.IDENTITY)),
                new FrozenLayer(bn()), relu(), output()));
    }

    @Test
    void trainableBnBelowFrozenLayer() {
        Rule rule = new TrainableBnBelowFrozenLayer();
        assertFound(rule, List.of(1), network(dense(Activation.IDENTITY), bn(), relu(),
                new FrozenLayer(dense(Activation.RELU)), output()));

        assertFound(rule, List.of(), network(dense(Activation.IDENTITY), bn(), relu(),
                new FrozenLayerWithBackprop(dense(Activation.RELU)), output()));
        assertFound(rule, List.of(), network(new FrozenLayer(dense(Activation.IDENTITY)), new FrozenLayer(bn()),
                new FrozenLayer(relu()), dense(Activation.IDENTITY), bn(), relu(), output()));
    }

    @Test
    void frozenBnAboveTrainableLayers() {
        Rule rule = new FrozenBnAboveTrainableLayers();
        List<Finding> found = rule.check(network(dense(Activation.IDENTITY), new FrozenLayer(bn()), relu(), output()));
        assertEquals(1, found.size());
        assertEquals("FrozenLayer(BatchNormalization)", found.get(0).type());
        assertTrue(found.get(0).problem().endsWith("trainable layer 0 below it."), found.get(0).problem());
        List<Finding> twice = rule.check(network(dense(Activation.IDENTITY), new FrozenLayer(bn()), relu(),
                dense(Activation.IDENTITY), new FrozenLayer(bn()), relu(), output()));
        assertEquals(List.of(4), twice.stream().map(Finding::layer).toList(), "where backpropagation stops");
        assertTrue(twice.get(0).problem().endsWith("trainable layers 0, 3 below it."), twice.get(0).problem());

        assertFound(rule, List.of(), network(new FrozenLayer(dense(Activation.IDENTITY)), new FrozenLayer(bn()), relu(),
                output()));
    }

    @Test
    void frozenBnWithBackprop() {
        Rule rule = new FrozenBnWithBackprop();
        assertFound(rule, List.of(1), network(dense(Activation.IDENTITY), new FrozenLayerWithBackprop(bn()), relu(),
                output()));

        assertFound(rule, List.of(), network(dense(Activation.IDENTITY), new FrozenLayerWithBackprop(bn()), relu(),
                new FrozenLayer(dense(Activation.RELU)), output()));
        assertFound(rule, List.of(), network(dense(Activation.IDENTITY), new FrozenLayer(bn()), relu(), output()));
    }

    @Test
    void adviceOrdersFindingsByLayerAndChecksTheBatchSizeOnlyWhenGiven() {
        MultiLayerConfiguration conf = network(dense(Activation.RELU), new BatchNormalization.Builder().dropOut(0.5)
                .build(), dense(Activation.RELU), bn(), output());
        Advice advice = Advice.of("test", conf, OptionalInt.of(2));
        assertEquals(List.of("1 bn-after-activation", "1 ignored-dropout", "1 small-batch", "3 bn-after-activation"),
                advice.findings().stream().map(f -> f.layer() + " " + f.rule()).toList());
        assertTrue(Advice.of("test", conf, OptionalInt.empty()).findings().stream()
                .noneMatch(f -> f.rule().equals(SmallBatch.ID)));
        assertTrue(advice.text().contains("why:     as for layer 1."), advice.text());
    }

    private static void assertFound(Rule rule, List<Integer> layers, MultiLayerConfiguration conf) {
        List<Finding> findings = rule.check(conf);
        assertEquals(layers, findings.stream().map(Finding::layer).toList(), () -> findings.toString());
    }

    private static MultiLayerConfiguration network(Object... layers) {
        return network(FLAT, layers);
    }

    private static MultiLayerConfiguration network(InputType input, Object... layers) {
        return network(new NeuralNetConfiguration.Builder(), input, layers);
    }

    /** A network of {@code layers}: each a Layer, or a List of them (from {@link #repeat}). */
    private static MultiLayerConfiguration network(NeuralNetConfiguration.Builder base, InputType input,
                                                   Object... layers) {
        ListBuilder list = base.seed(1).list();
        for (Object layer : layers) {
            if (layer instanceof List<?> block) {
                block.forEach(l -> list.layer(((Layer) l).clone()));
            } else {
                list.layer((Layer) layer);
            }
        }
        return list.setInputType(input).build();
    }

    private static List<Layer> repeat(int times, Layer... block) {
        return Collections.nCopies(times, List.of(block)).stream().flatMap(List::stream).toList();
    }

    private static DenseLayer dense(Activation activation) {
        return dense(4, activation);
    }

    private static DenseLayer dense(int width, Activation activation) {
        return new DenseLayer.Builder().nOut(width).activation(activation).build();
    }

    private static DenseLayer layerNormDense() {
        return new DenseLayer.Builder().nOut(4).activation(Activation.RELU).hasLayerNorm(true).build();
    }

    private static ConvolutionLayer conv(Activation activation) {
        return new ConvolutionLayer.Builder(3, 3).nOut(2).activation(activation).build();
    }

    private static SubsamplingLayer maxPool() {
        return new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build();
    }

    private static LSTM lstm() {
        return new LSTM.Builder().nOut(4).activation(Activation.TANH).build();
    }

    private static BatchNormalization bn() {
        return new BatchNormalization.Builder().build();
    }

    private static ActivationLayer relu() {
        return new ActivationLayer(Activation.RELU);
    }

    private static OutputLayer output() {
        return new OutputLayer.Builder(LossFunction.MCXENT).nOut(3).activation(Activation.SOFTMAX).build();
    }

    private static RnnOutputLayer rnnOutput() {
        return new RnnOutputLayer.Builder(LossFunction.MCXENT).nOut(3).activation(Activation.SOFTMAX).build();
    }

    private static LossLayer loss() {
        return new LossLayer.Builder(LossFunction.MCXENT).activation(Activation.SOFTMAX).build();
    }
}
