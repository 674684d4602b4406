package bnlab.experiment;

import bnlab.TestData;
import bnlab.data.TrainTest;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * Every experiment's runs are values that cross a process boundary whole: serialized and read
 * back, each has its name, configuration, training settings, recorders, start and workers.
 */
class RunSerializationTest {

    @Test
    void everyPlannedRunSerializesWhole() throws Exception {
        TrainTest data = TestData.mnist(200, 1000);
        for (Experiments experiment : Experiments.values()) {
            Experiment e = experiment.experiment();
            List<Runner.Run> runs = e.plan(e.quick(), data).runs();
            List<Runner.Run> copies = roundTrip(runs);
            assertEquals(runs.size(), copies.size(), experiment.toString());
            for (int i = 0; i < runs.size(); i++) {
                Runner.Run run = runs.get(i);
                Runner.Run copy = copies.get(i);
                assertEquals(run.name(), copy.name());
                assertEquals(run.training(), copy.training(), run.name().toString());
                assertEquals(run.configuration().toJson(), copy.configuration().toJson(), run.name().toString());
                assertEquals(run.recorders().size(), copy.recorders().size(), run.name().toString());
                for (Recorder recorder : copy.recorders()) {
                    assertNotNull(recorder.listener(data), run.name().toString());
                }
                assertEquals(run.start(), copy.start(), run.name().toString());
                assertEquals(run.workers(), copy.workers(), run.name().toString());
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Runner.Run> roundTrip(List<Runner.Run> runs) throws IOException, ClassNotFoundException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(runs);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (List<Runner.Run>) in.readObject();
        }
    }
}
