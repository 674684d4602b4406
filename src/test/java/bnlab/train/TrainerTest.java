package bnlab.train;

import bnlab.TestData;
import bnlab.cpu.CpuTuning;
import bnlab.data.BatchIterator;
import bnlab.data.InputShape;
import bnlab.data.TrainTest;
import bnlab.model.BuiltInModel;
import bnlab.model.Mlp;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Sgd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainerTest {

    @Test
    void shortRunLearnsAndRecordsEveryEpochAndIteration() {
        TrainTest data = TestData.mnist().limitTrain(3000);
        MultiLayerNetwork network = network(BuiltInModel.MLP_BN.configuration(1));
        History history = trainer(new TrainingSettings(2, 32, 1)).fit("mlp_bn", network, data);

        assertEquals(2, history.epochs().size());
        assertEquals(2 * 94, history.iterationScores().size(), "3000 examples in batches of 32: 94 per epoch");
        EpochRecord first = history.epochs().get(0);
        EpochRecord last = history.last();
        assertTrue(last.valAccuracy() > 0.8, "validation accuracy " + last.valAccuracy() + ", chance is 0.1");
        assertTrue(last.trainLoss() < first.trainLoss(), first.trainLoss() + " -> " + last.trainLoss());
        assertTrue(last.seconds() > 0);
    }

    /**
     * With a learning rate of 0 and no BN the batches' training-mode predictions are the
     * inference-mode ones, so the epoch's training figures must equal an evaluation of the
     * training set.
     */
    @Test
    void trainingFiguresAreThoseOfTheBatchesAsTrained() {
        TrainTest data = TestData.mnist().limitTrain(3200);
        MultiLayerNetwork network = network(Mlp.tutorial(3).withUpdater(new Sgd(0.0)).configuration());
        EpochRecord epoch = trainer(new TrainingSettings(1, 32, 1)).fit("mlp", network, data).last();

        Validation onTrainingSet = Validation.of(network, BatchIterator.inOrder(data.train(), 500, InputShape.FLAT));
        assertEquals(onTrainingSet.accuracy(), epoch.trainAccuracy(), 1e-9);
        assertEquals(onTrainingSet.loss(), epoch.trainLoss(), 1e-4);
    }

    @Test
    void validationLossIsDl4jsOwnScore() {
        TrainTest data = TestData.mnist();
        MultiLayerNetwork network = network(BuiltInModel.MLP.configuration(2));
        DataSet test = data.test();
        Validation validation = Validation.of(network, BatchIterator.inOrder(test, 1000, InputShape.FLAT));
        assertEquals(network.score(test, false), validation.loss(), 1e-4);
        assertEquals(network.evaluate(BatchIterator.inOrder(test, 1000, InputShape.FLAT)).accuracy(),
                validation.accuracy(), 1e-12);
    }

    /** The last step can leave NaN weights behind a finite score: the run is diverged, not a failure. */
    @Test
    void weightsThatTurnNanAtTheLastStepMakeADivergedRun() {
        TrainTest data = TestData.mnist().limitTrain(64);
        MultiLayerNetwork network = network(BuiltInModel.MLP_BN.configuration(1));
        TrainingListener spoilsTheLastStep = new BaseTrainingListener() {
            @Override
            public void iterationDone(Model model, int iteration, int epoch) {
                if (iteration == 1) {
                    model.params().assign(Double.NaN);
                }
            }
        };
        History history = trainer(new TrainingSettings(1, 32, 1)).fit("mlp_bn", network, data, spoilsTheLastStep);
        assertEquals(Status.DIVERGED, history.status());
        assertTrue(history.note().contains("NaN"), history.note());
    }

    private static Trainer trainer(TrainingSettings settings) {
        return new Trainer(settings, Console.none());
    }

    private static MultiLayerNetwork network(MultiLayerConfiguration configuration) {
        MultiLayerNetwork network = new MultiLayerNetwork(configuration);
        network.init();
        CpuTuning.apply(network);
        return network;
    }
}
