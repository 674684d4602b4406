package bnlab.infer;

import bnlab.BadInputException;
import bnlab.TestData;
import bnlab.data.BatchIterator;
import bnlab.data.InputShape;
import bnlab.data.TrainTest;
import bnlab.infer.BnFolding.Fold;
import bnlab.model.BnParameters;
import bnlab.model.BuiltInModel;
import bnlab.cpu.CpuTuning;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration.ListBuilder;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BnFoldingTest {

    /** Softmax outputs of float networks that compute the same function in a different order. */
    private static final double TOLERANCE = 1e-5;

    @Test
    void trainedMlpBnFoldsIntoDenseLayersWithTheirActivations() {
        MultiLayerNetwork original = trainedBriefly(BuiltInModel.MLP_BN, 2000);
        BnFolding.Folded folded = BnFolding.fold(original);

        assertEquals(List.of(new Fold(1, 0, 2), new Fold(4, 3, 5), new Fold(7, 6, 8)), folded.folds());
        assertEquals(4, folded.network().getnLayers());
        assertEquals(original.numParams() - 4 * (128 + 64 + 32), folded.network().numParams());
        assertSameOutputs(original, folded.network());
    }

    @Test
    void trainedCnnBnFoldsAndItsPreprocessorMoves() {
        MultiLayerNetwork original = trainedBriefly(BuiltInModel.CNN_BN, 500);
        BnFolding.Folded folded = BnFolding.fold(original);

        assertEquals(6, folded.network().getnLayers());
        MultiLayerConfiguration conf = folded.network().getLayerWiseConfigurations();
        assertEquals(original.getLayerWiseConfigurations().getInputPreProcess(8), conf.getInputPreProcess(4));
        assertEquals(1, conf.getInputPreProcessors().size());
        assertSameOutputs(original, folded.network());
    }

    /**
     * Variance stored directly, layers without bias, locked gamma and beta (applied by DL4J
     * only when gamma != 1 and beta != 0), a BN without a following activation, and random
     * running statistics far from their initial values.
     */
    @Test
    void everyStorageOfBnParametersFolds() {
        ListBuilder layers = new NeuralNetConfiguration.Builder().seed(3).list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(4).hasBias(false).activation(Activation.IDENTITY).build())
                .layer(new BatchNormalization.Builder().useLogStd(false).build())
                .layer(new ActivationLayer(Activation.TANH))
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(5).activation(Activation.IDENTITY).build())
                .layer(new BatchNormalization.Builder().lockGammaBeta(true).gamma(1.5).beta(-0.5).build())
                .layer(new DenseLayer.Builder().nOut(6).hasBias(false).activation(Activation.IDENTITY).build())
                .layer(new BatchNormalization.Builder().lockGammaBeta(true).gamma(2).beta(0).build())
                .layer(new DenseLayer.Builder().nOut(7).activation(Activation.IDENTITY).build())
                .layer(new BatchNormalization.Builder().build())
                .layer(new ActivationLayer(Activation.RELU))
                .layer(new OutputLayer.Builder(LossFunction.MSE).nOut(3).activation(Activation.IDENTITY).build());
        MultiLayerNetwork original = new MultiLayerNetwork(layers.setInputType(InputType.convolutional(8, 8, 2)).build());
        original.init();
        Nd4j.getRandom().setSeed(5);
        for (Layer layer : original.getLayers()) {
            if (layer instanceof org.deeplearning4j.nn.layers.normalization.BatchNormalization bn) {
                randomize(bn);
            }
        }
        BnFolding.Folded folded = BnFolding.fold(original);

        assertEquals(5, folded.network().getnLayers());
        INDArray input = Nd4j.rand(16, 2, 8, 8).subi(0.5).muli(4);
        CpuTuning.apply(original);
        CpuTuning.apply(folded.network());
        double difference = original.output(input, false).sub(folded.network().output(input, false))
                .amaxNumber().doubleValue();
        assertTrue(difference < TOLERANCE, "max |difference| " + difference);
    }

    @Test
    void aBnThatCannotBeFoldedIsNamedWithTheReason() {
        assertCannotFold(BuiltInModel.MLP_BN_AFTER.configuration(1), "layer 1 (BatchNormalization) follows layer 0's relu");
        assertCannotFold(BuiltInModel.MLP.configuration(1), "no BatchNormalization layer");
        assertCannotFold(new NeuralNetConfiguration.Builder().list()
                .layer(new BatchNormalization.Builder().build())
                .layer(new OutputLayer.Builder(LossFunction.MSE).nOut(2).activation(Activation.IDENTITY).build())
                .setInputType(InputType.feedForward(4)).build(), "layer 0 (BatchNormalization) is the first layer");
        assertCannotFold(new NeuralNetConfiguration.Builder().list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(4).activation(Activation.IDENTITY).build())
                .layer(new SubsamplingLayer.Builder().kernelSize(2, 2).build())
                .layer(new BatchNormalization.Builder().build())
                .layer(new OutputLayer.Builder(LossFunction.MSE).nOut(2).activation(Activation.IDENTITY).build())
                .setInputType(InputType.convolutional(8, 8, 1)).build(),
                "layer 2 (BatchNormalization) follows layer 1 (SubsamplingLayer)");
        assertCannotFold(new NeuralNetConfiguration.Builder().list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(4).activation(Activation.IDENTITY).build())
                .layer(new BatchNormalization.Builder().build())
                .layer(new OutputLayer.Builder(LossFunction.MSE).nOut(2).activation(Activation.IDENTITY).build())
                .inputPreProcessor(1, new CnnToFeedForwardPreProcessor(6, 6, 4))
                .setInputType(InputType.convolutional(8, 8, 1)).build(),
                "layer 1 (BatchNormalization) has an input preprocessor (CnnToFeedForwardPreProcessor)");
    }

    private static void assertCannotFold(MultiLayerConfiguration configuration, String expected) {
        MultiLayerNetwork network = new MultiLayerNetwork(configuration);
        network.init();
        BadInputException e = assertThrows(BadInputException.class, () -> BnFolding.fold(network));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    static MultiLayerNetwork trainedBriefly(BuiltInModel model, int examples) {
        MultiLayerConfiguration configuration = model.configuration(7);
        MultiLayerNetwork network = new MultiLayerNetwork(configuration);
        network.init();
        CpuTuning.apply(network);
        TrainTest data = TestData.mnist().limitTrain(examples);
        network.fit(BatchIterator.shuffled(data.train(), 32, InputShape.of(configuration), 7));
        Layer firstBn = network.getLayer(1);
        assertNotEquals(0.0, BnParameters.runningMean(firstBn).amaxNumber().doubleValue(), "trained: running mean moved");
        return network;
    }

    private static void assertSameOutputs(MultiLayerNetwork original, MultiLayerNetwork folded) {
        CpuTuning.apply(original);
        CpuTuning.apply(folded);
        INDArray images = TestData.mnist().test().getFeatures().get(NDArrayIndex.interval(0, 500), NDArrayIndex.all());
        INDArray input = InputShape.of(original.getLayerWiseConfigurations()).arrange(images);
        INDArray expected = original.output(input, false);
        double difference = expected.sub(folded.output(input, false)).amaxNumber().doubleValue();
        assertTrue(difference < TOLERANCE, "max |difference| " + difference);
    }

    private static void randomize(org.deeplearning4j.nn.layers.normalization.BatchNormalization bn) {
        for (String name : bn.paramTable().keySet()) {
            INDArray parameter = bn.getParam(name);
            INDArray values = Nd4j.rand(parameter.dataType(), parameter.shape());
            switch (name) {
                case BatchNormalizationParamInitializer.GLOBAL_VAR -> values.muli(3).addi(0.1);
                case BatchNormalizationParamInitializer.GLOBAL_LOG_STD -> values.subi(0.5);
                default -> values.subi(0.5).muli(4);
            }
            parameter.assign(values);
        }
    }
}
