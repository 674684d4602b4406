package bnlab.verify;

import bnlab.TestData;
import bnlab.data.TrainTest;
import bnlab.model.BnParameters;
import bnlab.model.BuiltInModel;
import bnlab.train.Console;
import bnlab.cpu.CpuTuning;
import bnlab.train.Trainer;
import bnlab.train.TrainingSettings;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VerificationTest {

    /**
     * 3 epochs of 6000 examples in batches of 32: 564 steps, 5.6 time constants of decay 0.99,
     * so the running averages keep under 0.4% of their initial values.
     */
    static Subject trained;

    @BeforeAll
    static void train() {
        TrainTest data = TestData.mnist().limitTrain(6000);
        MultiLayerNetwork network = network(BuiltInModel.MLP_BN);
        new Trainer(new TrainingSettings(3, 32, 1), Console.none()).fit("mlp_bn", network, data);
        trained = new Subject(network, data, 32);
    }

    @Test
    void inferenceIgnoresTheBatchAndTrainingDoesNot() {
        assertPassed(BatchDependence.inferenceIgnoresTheBatch(trained));
        assertPassed(BatchDependence.trainingDependsOnTheBatch(trained));
    }

    @Test
    void denseBnFollowsTheFormula() {
        List<Check> checks = BnFormula.inferenceFollowsTheFormula(trained);
        assertEquals(List.of("dense BN formula"), checks.stream().map(Check::name).toList());
        checks.forEach(VerificationTest::assertPassed);
    }

    /** Per-channel BN of a CNN, with statistics and gamma/beta far from their initial values. */
    @Test
    void convolutionalBnFollowsTheFormula() {
        MultiLayerNetwork network = network(BuiltInModel.CNN_BN);
        Nd4j.getRandom().setSeed(5);
        for (Layer layer : network.getLayers()) {
            if (layer instanceof org.deeplearning4j.nn.layers.normalization.BatchNormalization) {
                long n = BnParameters.gamma(layer).length();
                BnParameters.setRunningStatistics(layer, Nd4j.randn(DataType.FLOAT, n).muli(0.3), Nd4j.rand(DataType.FLOAT, n).addi(0.05));
                layer.getParam("gamma").assign(Nd4j.rand(layer.getParam("gamma").shape()).addi(0.5));
                layer.getParam("beta").assign(Nd4j.randn(layer.getParam("beta").shape()));
            }
        }
        List<Check> checks = BnFormula.inferenceFollowsTheFormula(new Subject(network, trained.data(), 32));
        assertEquals(List.of("conv BN formula", "dense BN formula"), checks.stream().map(Check::name).toList());
        checks.forEach(VerificationTest::assertPassed);
    }

    @Test
    void runningStatisticsTrackTheDataOnceTrained() {
        List<Check> checks = RunningStatistics.trackTheData(trained);
        assertEquals(6, checks.size(), "mean and variance of 3 BN layers");
        checks.forEach(VerificationTest::assertPassed);
    }

    @Test
    void runningStatisticsOfAnUntrainedNetworkDoNot() {
        Subject untrained = new Subject(network(BuiltInModel.MLP_BN), trained.data(), 32);
        List<Check> checks = RunningStatistics.trackTheData(untrained);
        assertTrue(checks.stream().noneMatch(Check::passed), "running mean 0 and variance 1 are not the data's");
        String report = Verification.table(checks);
        assertTrue(report.contains("running variance, layer 1 FAILED: most likely too little training for the running "
                + "averages: with decay 0.99, after 0 updates 100% of their initial values"), report);
        assertTrue(report.contains("recompute them exactly with 'precise-bn MODEL_ZIP'"), report);
    }

    /** The case: 156 updates leave 0.99^156, about 21%, of the initial values in the running averages. */
    @Test
    void aShortTrainingIsToldWhyItsRunningStatisticsFail() {
        MultiLayerNetwork network = network(BuiltInModel.MLP_BN);
        new Trainer(new TrainingSettings(1, 32, 1), Console.none()).fit("mlp_bn", network,
                trained.data().limitTrain(156 * 32));
        List<Check> failed = RunningStatistics.trackTheData(new Subject(network, trained.data(), 32)).stream()
                .filter(check -> !check.passed()).toList();
        assertFalse(failed.isEmpty(), "156 steps leave the running variance off by more than its bound");
        failed.forEach(check -> assertTrue(check.ifFailed().contains("after 156 updates 21% of their initial values"),
                check.ifFailed()));
        assertTrue(Verification.markdown(failed).contains("**Failed**: most likely too little training"));
    }

    @Test
    void onlyFitUpdatesRunningStatistics() {
        assertPassed(RunningStatistics.onlyTrainingUpdatesThem(trained));
    }

    @Test
    void evaluateAgreesWithInferenceModeArgmax() {
        assertPassed(EvaluationAgreement.evaluateIsInferenceMode(trained));
    }

    @Test
    void saveAndLoadKeepOutputs() {
        assertPassed(Serialization.saveAndLoadKeepsOutputs(trained));
    }

    @Test
    void batchesOfOneCollapseBnAndAreReported() {
        Check check = SingleExampleBatches.areDetected(trained);
        assertPassed(check);
        assertTrue(check.detail().contains("the guard warned on 100 of 100 batches"), check.detail());
    }

    @Test
    void trapsBehaveAsDocumented() {
        List<Check> traps = Traps.all(trained.data(), 1);
        assertEquals(4, traps.size());
        traps.forEach(VerificationTest::assertPassed);
        Check gradientNormalization = traps.get(0);
        double exposed = Double.parseDouble(gradientNormalization.detail()
                .replaceAll(".*prescribes with BN opted out, ([0-9.e+-]+) times with BN exposed.*", "$1"));
        assertTrue(Math.abs(exposed - 1) > 0.01, "a normalized gradient moves running statistics off decay: " + exposed);
    }

    @Test
    void reportsListEveryCheck() {
        List<Check> checks = List.of(BatchDependence.inferenceIgnoresTheBatch(trained),
                new Check("made up", "fails", 2, "<= 1", false, "for the report", "a made-up cause"));
        String markdown = Verification.markdown(checks);
        assertTrue(markdown.contains("| inference ignores the batch |"), markdown);
        assertTrue(markdown.contains("| made up | 2.000 | <= 1 | FAIL |"), markdown);
        assertFalse(Verification.allPassed(checks));
    }

    private static void assertPassed(Check check) {
        assertTrue(check.passed(), check.name() + ": measured " + check.measured() + ", bound " + check.bound()
                + "; " + check.detail());
    }

    private static MultiLayerNetwork network(BuiltInModel model) {
        MultiLayerNetwork network = new MultiLayerNetwork(model.configuration(1));
        network.init();
        CpuTuning.apply(network);
        return network;
    }
}
