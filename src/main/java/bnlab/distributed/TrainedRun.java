package bnlab.distributed;

import bnlab.cpu.CpuTuning;
import bnlab.data.TrainTest;
import bnlab.experiment.Runner;
import bnlab.train.Console;
import bnlab.train.History;
import bnlab.train.RunName;
import bnlab.train.Trainer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.deeplearning4j.util.ModelSerializer;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One run trained where a Spark task runs it, as it travels back: its history, the trained
 * network as a model zip, and its recorders' listeners with what they recorded.
 *
 * @param history    the run's history
 * @param model      the trained network, as {@code ModelSerializer} writes it
 * @param recordings the listeners its recorders made
 */
record TrainedRun(History history, byte[] model, List<TrainingListener> recordings) implements Serializable {

    /**
     * Trains {@code run} here, as the runner would, without console, checkpoints or dashboard.
     *
     * @param trainedBefore the model zips of the networks runs may start from, by run name
     * @param cores         the cores this task has, for a convolutional network's threads
     */
    static TrainedRun train(Runner.Run run, TrainTest data, Map<RunName, byte[]> trainedBefore, int cores) {
        MultiLayerNetwork network = run.newNetwork(networks(run, trainedBefore));
        CpuTuning.apply(network, cores);
        List<TrainingListener> recordings = run.recorders().stream().map(recorder -> recorder.listener(data)).toList();
        History history = new Trainer(run.training(), Console.none()).fit(History.start(run.name()), network, data,
                (soFar, net) -> {
                }, recordings.toArray(TrainingListener[]::new));
        return new TrainedRun(history, zip(network), recordings);
    }

    /** The networks {@code run} may start from; none unless it has a start. */
    private static Map<RunName, MultiLayerNetwork> networks(Runner.Run run, Map<RunName, byte[]> zips) {
        Map<RunName, MultiLayerNetwork> networks = new HashMap<>();
        if (run.start().isPresent()) {
            zips.forEach((name, zip) -> networks.put(name, unzip(zip)));
        }
        return networks;
    }

    static byte[] zip(MultiLayerNetwork network) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            ModelSerializer.writeModel(network, bytes, true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static MultiLayerNetwork unzip(byte[] zip) {
        try {
            return ModelSerializer.restoreMultiLayerNetwork(new ByteArrayInputStream(zip), true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
