package bnlab.report;

import org.junit.jupiter.api.Test;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;

import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Every kind of panel bnlab draws keeps its legend off the plot, where it hides no data. */
class ChartsTest {

    private static final double[] X = {1, 2, 3};

    @Test
    void aFewEntriesGoInARowBelowThePlot() {
        List<Chart<?, ?>> panels = List.of(
                Charts.lines("Loss", "epoch", "loss", List.of(new Charts.Line("mlp validation", X, X, 0, false)), false),
                Charts.sweep("Accuracy", "rate", "accuracy",
                        List.of(new Charts.SweepLine("mlp", X, X, new double[3], 0)), List.of()),
                Charts.bars("Error", "error", List.of("a", "b"), List.of("bn"), new double[][]{{1, 2}},
                        new double[][]{{0, 0}}));
        for (Chart<?, ?> panel : panels) {
            assertEquals(Styler.LegendPosition.OutsideS, panel.getStyler().getLegendPosition(), panel.getTitle());
        }
    }

    @Test
    void entriesTooManyForARowGoInAColumnBesideIt() {
        List<Charts.Line> lines = IntStream.range(0, 8)
                .mapToObj(i -> new Charts.Line("sigmoid20_bn layer " + i, X, X, i, false)).toList();
        XYChart panel = Charts.lines("Gradients", "iteration", "norm", lines, true);
        assertEquals(Styler.LegendPosition.OutsideE, panel.getStyler().getLegendPosition());
    }
}
