package bnlab.cpu;

import bnlab.TestData;
import bnlab.data.BatchIterator;
import bnlab.data.InputShape;
import bnlab.model.BuiltInModel;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.convolution.ConvolutionLayer;
import org.deeplearning4j.nn.layers.convolution.subsampling.SubsamplingLayer;
import org.deeplearning4j.nn.layers.normalization.BatchNormalization;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CpuTuningTest {

    @Test
    void theOneDnnBuildRunsOnCpusWithAvx2() throws Exception {
        boolean avx2 = Files.readString(Path.of("/proc/cpuinfo")).contains(" avx2 ");
        assertEquals(avx2, CpuTuning.oneDnnBuildLoaded());
    }

    /** OpenBLAS 0.3.19 fell back to Prescott's kernels on an Intel Sapphire Rapids CPU. */
    @Test
    void openBlasRunsKernelsForThisCpu() throws Exception {
        String cpuInfo = Files.readString(Path.of("/proc/cpuinfo"));
        String core = CpuTuning.openBlasCore();
        if (cpuInfo.contains(" avx2 ")) {
            assertNotEquals("Prescott", core);
        }
        if (cpuInfo.contains("GenuineIntel") && System.getenv(CpuTuning.OPENBLAS_CORETYPE) == null) {
            List<String> flags = CpuTuning.flags(CpuTuning.cpuInfo());
            CpuTuning.openBlasCoreFor("GenuineIntel", flags).ifPresent(named -> assertEquals(named, core));
        }
    }

    @Test
    void openBlasKernelsAreNamedOnlyForIntelCpusWithAvx2() {
        List<String> sapphireRapids = List.of("sse3", "avx", "avx2", "fma", "avx512f", "avx512dq", "avx512cd",
                "avx512bw", "avx512vl", "avx512_fp16");
        List<String> alderLake = List.of("sse3", "avx", "avx2", "fma");
        assertEquals(Optional.of("SkylakeX"), CpuTuning.openBlasCoreFor("GenuineIntel", sapphireRapids));
        assertEquals(Optional.of("Haswell"), CpuTuning.openBlasCoreFor("GenuineIntel", alderLake));
        assertEquals(Optional.empty(), CpuTuning.openBlasCoreFor("GenuineIntel", List.of("sse3", "avx")));
        assertEquals(Optional.empty(), CpuTuning.openBlasCoreFor("AuthenticAMD", sapphireRapids));
    }

    @Test
    void everyConvolutionPoolingAndBnLayerGetsItsHelper() {
        MultiLayerNetwork network = network(BuiltInModel.CNN_BN);
        CpuTuning.apply(network);
        int helped = 0;
        for (Layer layer : network.getLayers()) {
            if (layer instanceof ConvolutionLayer conv) {
                assertNotNull(conv.getHelper(), "layer " + layer.getIndex());
                helped++;
            } else if (layer instanceof SubsamplingLayer pool) {
                assertNotNull(pool.getHelper(), "layer " + layer.getIndex());
                helped++;
            } else if (layer instanceof BatchNormalization bn) {
                assertNotNull(bn.getHelper(), "layer " + layer.getIndex());
                helped++;
            }
        }
        assertEquals(2 + 2 + 3, helped);
    }

    /** What bench's helperless variant relies on. */
    @Test
    void applyingWithoutHelpersLeavesTheLayersWithoutHelpers() {
        MultiLayerNetwork network = network(BuiltInModel.CNN_BN);
        CpuTuning.applyWithoutHelpers(network);
        for (Layer layer : network.getLayers()) {
            Object helper = layer instanceof ConvolutionLayer conv ? conv.getHelper()
                    : layer instanceof SubsamplingLayer pool ? pool.getHelper()
                    : layer instanceof BatchNormalization bn ? bn.getHelper() : null;
            assertNull(helper, "layer " + layer.getIndex());
        }
    }

    /** The helpers compute what DL4J's own layers compute: outputs in both modes, and gradients. */
    @Test
    void helpersGiveDl4jsResults() {
        for (BuiltInModel model : new BuiltInModel[]{BuiltInModel.MLP_BN, BuiltInModel.CNN_BN}) {
            MultiLayerConfiguration configuration = model.configuration(11);
            InputShape shape = InputShape.of(configuration);
            assertHelpersGiveDl4jsResults(configuration, BatchIterator.inOrder(TestData.mnist().test(), 64, shape).next(),
                    model.toString());
        }
    }

    /** BN over channels-last activations normalizes over their last axis. */
    @Test
    void bnHelperGivesDl4jsResultsOnChannelsLastActivations() {
        MultiLayerConfiguration configuration = new NeuralNetConfiguration.Builder().seed(11).updater(new Adam(1e-3))
                .list()
                .layer(new org.deeplearning4j.nn.conf.layers.ConvolutionLayer.Builder(3, 3).nOut(8)
                        .dataFormat(CNN2DFormat.NHWC).activation(Activation.IDENTITY).build())
                .layer(new org.deeplearning4j.nn.conf.layers.BatchNormalization.Builder()
                        .dataFormat(CNN2DFormat.NHWC).build())
                .layer(new ActivationLayer(Activation.RELU))
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(10)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(28, 28, 1, CNN2DFormat.NHWC))
                .build();
        DataSet flat = BatchIterator.inOrder(TestData.mnist().test(), 64, InputShape.FLAT).next();
        // One channel: [N, 784] rows are the [N, 28, 28, 1] images in C order.
        DataSet batch = new DataSet(flat.getFeatures().reshape(64, 28, 28, 1), flat.getLabels());
        assertHelpersGiveDl4jsResults(configuration, batch, "channels-last cnn");
    }

    /** Convolutions bnlab's helper passes on to DL4J's: "Same" padding with stride 2, no bias. */
    @Test
    void convolutionsLeftToDl4jsHelperGiveDl4jsResults() {
        MultiLayerConfiguration configuration = new NeuralNetConfiguration.Builder().seed(11).updater(new Adam(1e-3))
                .list()
                .layer(new org.deeplearning4j.nn.conf.layers.ConvolutionLayer.Builder(3, 3).nOut(8).stride(2, 2)
                        .convolutionMode(ConvolutionMode.Same).activation(Activation.RELU).build())
                .layer(new org.deeplearning4j.nn.conf.layers.ConvolutionLayer.Builder(3, 3).nOut(8).hasBias(false)
                        .activation(Activation.IDENTITY).build())
                .layer(new org.deeplearning4j.nn.conf.layers.BatchNormalization.Builder().build())
                .layer(new ActivationLayer(Activation.RELU))
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(10)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(28, 28, 1))
                .build();
        DataSet batch = BatchIterator.inOrder(TestData.mnist().test(), 64, InputShape.IMAGE).next();
        assertHelpersGiveDl4jsResults(configuration, batch, "cnn with Same padding and no bias");
    }

    private static void assertHelpersGiveDl4jsResults(MultiLayerConfiguration configuration, DataSet batch, String model) {
        MultiLayerNetwork plain = new MultiLayerNetwork(configuration.clone());
        plain.init();
        MultiLayerNetwork helped = new MultiLayerNetwork(configuration.clone());
        helped.init();
        CpuTuning.apply(helped);

        assertClose(plain.output(batch.getFeatures(), false), helped.output(batch.getFeatures(), false), model + " inference");
        assertClose(plain.output(batch.getFeatures(), true), helped.output(batch.getFeatures(), true), model + " training");
        Map<String, INDArray> expected = gradients(plain, batch);
        Map<String, INDArray> actual = gradients(helped, batch);
        assertEquals(expected.keySet(), actual.keySet());
        double largest = plain.gradient().gradient().amaxNumber().doubleValue();
        expected.forEach((name, gradient) -> {
            if (isBiasFeedingBn(plain, name)) {
                // Zero in exact arithmetic, as BN subtracts the mean: both are rounding noise.
                assertTrue(gradient.amaxNumber().doubleValue() < 1e-3 * largest, name);
                assertTrue(actual.get(name).amaxNumber().doubleValue() < 1e-3 * largest, name);
            } else {
                assertClose(gradient, actual.get(name), model + " gradient " + name);
            }
        });
        assertNoLayerFellBack(helped);
    }

    /** DL4J quietly falls back to its own code when a helper throws, and counts the failures. */
    private static void assertNoLayerFellBack(MultiLayerNetwork network) {
        for (Layer layer : network.getLayers()) {
            Class<?> type = layer instanceof BatchNormalization ? BatchNormalization.class
                    : layer instanceof ConvolutionLayer ? ConvolutionLayer.class : null;
            if (type != null) {
                try {
                    Field failures = type.getDeclaredField("helperCountFail");
                    failures.setAccessible(true);
                    assertEquals(0, failures.getInt(layer), "helper failures of layer " + layer.getIndex());
                } catch (ReflectiveOperationException e) {
                    throw new AssertionError(e);
                }
            }
        }
    }

    private static boolean isBiasFeedingBn(MultiLayerNetwork network, String parameter) {
        int layer = Integer.parseInt(parameter.substring(0, parameter.indexOf('_')));
        return parameter.endsWith("_b") && layer + 1 < network.getnLayers()
                && network.getLayer(layer + 1) instanceof BatchNormalization;
    }

    private static Map<String, INDArray> gradients(MultiLayerNetwork network, DataSet batch) {
        network.setInput(batch.getFeatures());
        network.setLabels(batch.getLabels());
        network.computeGradientAndScore();
        Gradient gradient = network.gradient();
        return gradient.gradientForVariable();
    }

    /** Float32 results of differently ordered sums agree to a few units in the last places. */
    private static void assertClose(INDArray expected, INDArray actual, String what) {
        double scale = expected.amaxNumber().doubleValue();
        double difference = expected.sub(actual).amaxNumber().doubleValue();
        assertTrue(difference <= 1e-4 * scale, what + ": max difference " + difference + " at scale " + scale);
    }

    private static MultiLayerNetwork network(BuiltInModel model) {
        MultiLayerNetwork network = new MultiLayerNetwork(model.configuration(11));
        network.init();
        return network;
    }
}
