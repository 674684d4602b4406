package bnlab.experiment;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Starts a run from the parameters of another network with the same configuration, such as one
 * TransferLearning built from a pretrained network: the Runner builds every run's network
 * afresh from its configuration, and this puts the values in before the first step. A network
 * past its first epoch is left alone, so a run resumed from its checkpoint keeps what it learned.
 */
final class StartFrom extends BaseTrainingListener {

    private final INDArray parameters;

    StartFrom(MultiLayerNetwork network) {
        this.parameters = network.params().dup();
    }

    @Override
    public void onEpochStart(Model model) {
        MultiLayerNetwork network = (MultiLayerNetwork) model;
        if (network.getEpochCount() == 0 && network.getIterationCount() == 0) {
            network.setParams(parameters);
        }
    }
}
