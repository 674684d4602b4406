package bnlab.experiment;

import bnlab.train.History;
import org.junit.jupiter.api.Test;

import java.util.List;

import static bnlab.experiment.LearningRateSweepTest.diverged;
import static bnlab.experiment.LearningRateSweepTest.done;
import static org.junit.jupiter.api.Assertions.assertEquals;

class InitSpreadTest {

    /** Two seeds: "small" trains badly, and its second seed diverged. */
    private static final InitSpread SPREAD = new InitSpread(List.of("small", "xavier", "he"), List.of(
            List.<History>of(done(0.50), diverged()),
            List.of(done(0.97), done(0.96)),
            List.of(done(0.99), done(0.95))));

    @Test
    void aDivergedRunCountsAtChance() {
        assertEquals(0.1, InitSpread.accuracy(diverged()), 1e-12);
        assertEquals(0.30, SPREAD.accuracy(0).mean(), 1e-12);
    }

    @Test
    void theRangeAndSdAreOverTheInitializationsMeans() {
        assertEquals(0, SPREAD.worst());
        assertEquals(2, SPREAD.best());
        assertEquals(0.97 - 0.30, SPREAD.rangeOfMeans(), 1e-12);
        assertEquals(SeedStatistics.of(0.30, 0.965, 0.97).sd(), SPREAD.sdOfMeans(), 1e-12);
    }

    @Test
    void thePerSeedSpreadIsBestMinusWorstWithinEachSeed() {
        SeedStatistics spread = SPREAD.perSeedSpread();
        assertEquals(2, spread.runs());
        assertEquals(0.99 - 0.50, spread.min(), 1e-12);
        assertEquals(0.96 - 0.1, spread.max(), 1e-12, "seed 2: xavier against the diverged run");
    }
}
