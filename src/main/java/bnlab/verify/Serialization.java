package bnlab.verify;

import bnlab.cpu.CpuTuning;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Check 7: a network saved and restored with {@code ModelSerializer} gives the same inference outputs, bit for bit. */
final class Serialization {

    private Serialization() {
    }

    static Check saveAndLoadKeepsOutputs(Subject subject) {
        MultiLayerNetwork restored = roundTrip(subject.network());
        CpuTuning.apply(restored);
        INDArray images = subject.testImages(0, 1000);
        double difference = subject.network().output(images, false).sub(restored.output(images, false))
                .amaxNumber().doubleValue();
        return Check.atMost("save and load", "ModelSerializer.writeModel then restoreMultiLayerNetwork keeps "
                + "inference outputs identical (running statistics are saved as parameters)", difference, 0,
                "max |difference| over 1000 test images",
                "something the network computes with is not saved: a layer of your own whose state is not a "
                        + "parameter, or a helper with state of its own; keep all state in parameters and save with "
                        + "ModelSerializer.writeModel(network, file, true)");
    }

    private static MultiLayerNetwork roundTrip(MultiLayerNetwork network) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            ModelSerializer.writeModel(network, bytes, true);
            return ModelSerializer.restoreMultiLayerNetwork(new ByteArrayInputStream(bytes.toByteArray()), true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
