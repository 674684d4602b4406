package bnlab.experiment;

import bnlab.train.EpochRecord;
import bnlab.train.History;
import bnlab.train.RunName;
import bnlab.train.Status;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SeedStatisticsTest {

    @Test
    void meanAndSampleStandardDeviation() {
        SeedStatistics s = SeedStatistics.of(0.97, 0.98, 0.99);
        assertEquals(0.98, s.mean(), 1e-12);
        assertEquals(0.01, s.sd(), 1e-12);
        assertEquals(0.01 / Math.sqrt(3), s.standardError(), 1e-12);
        assertEquals("0.9800 ± 0.0100 (n=3)", s.format("%.4f"));
    }

    @Test
    void aDifferenceCountsOnlyBeyondTwoStandardErrors() {
        SeedStatistics low = SeedStatistics.of(0.970, 0.971, 0.972);
        SeedStatistics high = SeedStatistics.of(0.980, 0.981, 0.982);
        SeedStatistics noisy = SeedStatistics.of(0.95, 0.98, 0.99);
        assertTrue(high.clearlyAbove(low));
        assertFalse(low.clearlyAbove(high));
        assertFalse(noisy.clearlyAbove(low), "the noisy variant's spread hides the difference");
        assertFalse(SeedStatistics.of(0.99).clearlyAbove(SeedStatistics.of(0.5)), "one seed gives no spread to judge by");
    }

    @Test
    void verdictsFollowTheDirectionOfBetter() {
        SeedStatistics low = SeedStatistics.of(0.10, 0.11, 0.12);
        SeedStatistics high = SeedStatistics.of(0.20, 0.21, 0.22);
        assertEquals(Outcome.HOLDS, Comparison.of("accuracy", true, "a", high, "b", low).outcome());
        assertEquals(Outcome.OPPOSITE, Comparison.of("accuracy", true, "a", low, "b", high).outcome());
        assertEquals(Outcome.HOLDS, Comparison.of("loss", false, "a", low, "b", high).outcome());
        assertEquals(Outcome.NOT_SHOWN, Comparison.of("loss", false, "a", low, "b", SeedStatistics.of(0.08, 0.11, 0.14))
                .outcome());
        assertTrue(Comparison.of("accuracy", true, "a", low, "b", high).sentence()
                .startsWith("the opposite was measured: accuracy (higher is better): a 0.1100 ± 0.0100 (n=3)"));
    }

    @Test
    void variantsGroupSeedsAndLeaveDivergedRunsOut() {
        List<History> histories = List.of(run("bn", 1, 0.98, Status.DONE), run("no_bn", 1, 0.97, Status.DONE),
                run("bn", 2, 0.96, Status.DONE), run("no_bn", 2, 0.5, Status.DIVERGED));
        assertEquals(List.of("bn", "no_bn"), List.copyOf(Variants.byVariant(histories).keySet()));
        assertEquals(0.97, Variants.finalFigure(histories, EpochRecord::valAccuracy).get("bn").mean(), 1e-12);
        assertEquals(1, Variants.finalFigure(histories, EpochRecord::valAccuracy).get("no_bn").runs());
        assertEquals(1L, Variants.diverged(histories).get("no_bn"));
        assertEquals("bn_before-s12", RunName.of("bn_before", 12).toString());
        assertEquals("mlp_bn", RunName.of("mlp_bn").toString());
    }

    private static History run(String variant, long seed, double valAccuracy, Status status) {
        return new History(RunName.of(variant, seed), List.of(new EpochRecord(1, 0.1, 0.99, 0.2, valAccuracy, 1)), List.of(0.3, 0.2),
                status, null);
    }
}
