package bnlab.experiment;

import bnlab.train.EpochRecord;
import bnlab.train.History;
import bnlab.train.RunName;
import bnlab.train.Status;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.OptionalDouble;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LearningRateSweepTest {

    private static final List<Double> RATES = List.of(0.01, 0.1, 1.0, 10.0);

    /**
     * Two seeds. 0.01 is slow, 0.1 the best (0.97 on average), 1 fine for seed 1 but 0.03 below
     * the best for seed 2, 10 higher than the best for seed 2 but diverged for seed 1.
     */
    private static final LearningRateSweep SWEEP = new LearningRateSweep(RATES, List.of(
            List.of(done(0.90), done(0.91)),
            List.of(done(0.96), done(0.98)),
            List.of(done(0.955), done(0.94)),
            List.of(diverged(), done(0.99))));

    @Test
    void theBestIsTheHighestMeanAmongRatesWhereNoSeedDiverged() {
        assertEquals(0.97, SWEEP.bestAccuracy(), 1e-12);
    }

    @Test
    void aRunTrainsWhenItFinishedWithinTheToleranceOfTheBest() {
        assertTrue(SWEEP.trains(done(0.97 - LearningRateSweep.TOLERANCE)));
        assertFalse(SWEEP.trains(done(0.97 - LearningRateSweep.TOLERANCE - 1e-4)));
        assertFalse(SWEEP.trains(diverged()));
    }

    @Test
    void eachSeedHasItsOwnLargestRateThatTrains() {
        assertEquals(OptionalDouble.of(1.0), SWEEP.largestTrainingRate(0), "10 diverged for seed 1");
        assertEquals(OptionalDouble.of(10.0), SWEEP.largestTrainingRate(1), "a gap at 1 does not stop seed 2");
        assertEquals("1, 10", SWEEP.largestTrainingRatePerSeed());
        SeedStatistics log10 = SWEEP.log10LargestTrainingRate();
        assertEquals(0.5, log10.mean(), 1e-12);
        assertEquals(2, log10.runs());
    }

    @Test
    void everySeedMustTrainForTheRateToCountForAll() {
        assertEquals(OptionalDouble.of(0.1), SWEEP.largestRateAllSeedsTrain());
        assertEquals(OptionalDouble.of(1.0), SWEEP.largestRateWithoutDivergence());
    }

    @Test
    void accuracyAndDivergenceArePerRate() {
        assertEquals(1, SWEEP.accuracy(3).runs());
        assertEquals(0.99, SWEEP.accuracy(3).mean(), 1e-12);
        assertEquals(1, SWEEP.diverged(3));
        assertEquals(0, SWEEP.diverged(0));
    }

    @Test
    void aSeedThatTrainsNowhereIsSaidToAndLeftOutOfTheStatistics() {
        LearningRateSweep sweep = new LearningRateSweep(List.of(0.1, 1.0), List.of(
                List.of(done(0.98), done(0.90)),
                List.of(done(0.97), done(0.91))));
        assertEquals("1, none", sweep.largestTrainingRatePerSeed(),
                "the best mean is 0.94: seed 2 is never within 0.02");
        assertEquals(1, sweep.log10LargestTrainingRate().runs());
        assertEquals(OptionalDouble.empty(), sweep.largestRateAllSeedsTrain());
    }

    @Test
    void whenEveryRateDivergedSomewhereNothingTrains() {
        LearningRateSweep sweep = new LearningRateSweep(List.of(0.1), List.of(List.of(done(0.98), diverged())));
        assertTrue(Double.isNaN(sweep.bestAccuracy()));
        assertEquals(OptionalDouble.empty(), sweep.largestTrainingRate(0));
        assertEquals(OptionalDouble.empty(), sweep.largestRateWithoutDivergence());
    }

    static History done(double valAccuracy) {
        return new History(RunName.of("run"), List.of(new EpochRecord(1, 0.1, 0.97, 0.1, valAccuracy, 1)), List.of(0.1),
                Status.DONE, null);
    }

    static History diverged() {
        return new History(RunName.of("run"), List.of(), List.of(Double.NaN), Status.DIVERGED, "score NaN");
    }
}
