package bnlab.train;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Records a {@link MultiLayerNetwork}'s training the way Keras reports it: the score of every
 * iteration and, per epoch, the mean training loss and accuracy over the epoch's batches as
 * they were trained, then loss and accuracy on validation data in inference mode.
 */
public final class HistoryListener extends BaseTrainingListener {

    private final RunName name;
    private final DataSetIterator validation;
    private final Consumer<History> onEpoch;
    private final List<EpochRecord> epochs;
    private final List<Double> iterationScores;
    private Evaluation trainEvaluation;
    private double trainLossSum;
    private int trainBatches;
    private long epochStart;

    /**
     * @param soFar      what earlier epochs recorded (empty for a new model)
     * @param validation data evaluated after each epoch
     * @param onEpoch    given the history as soon as each epoch's record is complete
     */
    public HistoryListener(History soFar, DataSetIterator validation, Consumer<History> onEpoch) {
        this.name = soFar.name();
        this.epochs = new ArrayList<>(soFar.epochs());
        this.iterationScores = new ArrayList<>(soFar.iterationScores());
        this.validation = validation;
        this.onEpoch = onEpoch;
    }

    @Override
    public void onEpochStart(Model model) {
        trainEvaluation = new Evaluation();
        trainLossSum = 0;
        trainBatches = 0;
        epochStart = System.nanoTime();
    }

    @Override
    public void onForwardPass(Model model, List<INDArray> activations) {
        MultiLayerNetwork network = (MultiLayerNetwork) model;
        INDArray predictions = predictions(network, activations);
        if (Double.isFinite(predictions.sumNumber().doubleValue())) {
            // Otherwise training has diverged, and the DivergenceListener ends it after this iteration.
            trainEvaluation.eval(network.getLabels(), predictions);
        }
    }

    /**
     * The batch's predictions in a forward pass of training: DL4J passes the activations up to
     * the input of the output layer; the output layer's own forward pass on that input gives
     * them at the cost of one small layer.
     */
    public static INDArray predictions(MultiLayerNetwork network, List<INDArray> activations) {
        int outputIndex = network.getnLayers() - 1;
        INDArray outputInput = activations.get(activations.size() - 1);
        InputPreProcessor preProcessor = network.getLayerWiseConfigurations().getInputPreProcess(outputIndex);
        LayerWorkspaceMgr noWorkspaces = LayerWorkspaceMgr.noWorkspaces();
        if (preProcessor != null) {
            outputInput = preProcessor.preProcess(outputInput, (int) outputInput.size(0), noWorkspaces);
        }
        return network.getOutputLayer().activate(outputInput, false, noWorkspaces);
    }

    @Override
    public void iterationDone(Model model, int iteration, int epoch) {
        double score = model.score();
        iterationScores.add(score);
        trainLossSum += score;
        trainBatches++;
    }

    @Override
    public void onEpochEnd(Model model) {
        double seconds = (System.nanoTime() - epochStart) / 1e9;
        Validation result = Validation.of((MultiLayerNetwork) model, validation);
        epochs.add(new EpochRecord(epochs.size() + 1, trainLossSum / trainBatches, trainEvaluation.accuracy(),
                result.loss(), result.accuracy(), seconds));
        onEpoch.accept(history());
    }

    /** Everything recorded so far, as a running history. */
    public History history() {
        return new History(name, epochs, iterationScores, Status.RUNNING, null);
    }
}
