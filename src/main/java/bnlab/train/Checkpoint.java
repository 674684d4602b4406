package bnlab.train;

import bnlab.BadInputException;
import bnlab.Json;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * What it takes to continue a sequence of training runs that was interrupted: the histories of
 * the runs that finished, and, at the end of the running one's last finished epoch, its
 * history, its network with the updater's state, and the state of ND4J's random generator.
 * One zip file, so that it can be replaced in one rename.
 *
 * @param finished histories of the runs that finished
 * @param running  history of the run in progress
 */
public record Checkpoint(List<History> finished, History running, long randomRootState, long randomNodeState) {

    private static final String NETWORK_ENTRY = "network.zip";
    private static final String STATE_ENTRY = "state.json";

    public Checkpoint {
        finished = List.copyOf(finished);
    }

    /** Writes the checkpoint of {@code network}, whose history so far is {@code running}. */
    public static void write(OutputStream out, List<History> finished, History running, MultiLayerNetwork network)
            throws IOException {
        Random random = Nd4j.getRandom();
        Checkpoint state = new Checkpoint(finished, running, random.rootState(), random.nodeState());
        ByteArrayOutputStream networkZip = new ByteArrayOutputStream();
        ModelSerializer.writeModel(network, networkZip, true);
        ZipOutputStream zip = new ZipOutputStream(out);
        zip.putNextEntry(new ZipEntry(STATE_ENTRY));
        zip.write(Json.MAPPER.writeValueAsBytes(state));
        zip.putNextEntry(new ZipEntry(NETWORK_ENTRY));
        networkZip.writeTo(zip);
        zip.finish();
    }

    /** A checkpoint read back, with its network. */
    public record Restored(Checkpoint state, MultiLayerNetwork network) {

        /** Puts ND4J's random generator back where it was when the checkpoint was written. */
        public void restoreRandomState() {
            Nd4j.getRandom().setStates(state.randomRootState(), state.randomNodeState());
        }
    }

    public static Restored read(Path file) {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            ZipEntry stateEntry = zip.getEntry(STATE_ENTRY);
            ZipEntry networkEntry = zip.getEntry(NETWORK_ENTRY);
            if (stateEntry == null || networkEntry == null) {
                throw new BadInputException(file + ": not a bnlab checkpoint (no " + STATE_ENTRY + " or " + NETWORK_ENTRY + ")");
            }
            Checkpoint state = Json.MAPPER.readValue(zip.getInputStream(stateEntry), Checkpoint.class);
            byte[] network = zip.getInputStream(networkEntry).readAllBytes();
            return new Restored(state, ModelSerializer.restoreMultiLayerNetwork(new ByteArrayInputStream(network), true));
        } catch (BadInputException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new BadInputException(file + ": damaged checkpoint (" + e.getMessage() + ")", e);
        }
    }
}
