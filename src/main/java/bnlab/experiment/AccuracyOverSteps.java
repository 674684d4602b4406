package bnlab.experiment;

import bnlab.report.Charts;
import bnlab.report.MarkdownTable;
import bnlab.train.EpochRecord;
import bnlab.train.History;
import org.knowm.xchart.XYChart;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Test accuracy against training steps, of a run without BN and one with it, as the Ioffe
 * experiment's page shows it.
 *
 * @param histories     the runs' histories, test accuracy measured after every epoch
 * @param stepsPerEpoch the steps of an epoch
 * @param withoutBn     the variant without BN
 * @param withBn        the variant with BN
 */
record AccuracyOverSteps(List<History> histories, int stepsPerEpoch, String withoutBn, String withBn) {

    XYChart chart(String title) {
        List<Charts.Line> lines = new ArrayList<>();
        Variants.meanCurve(histories, EpochRecord::valAccuracy).forEach((variant, curve) -> {
            double[] steps = IntStream.rangeClosed(1, curve.length).mapToDouble(e -> (double) e * stepsPerEpoch).toArray();
            boolean batchNorm = withBn.equals(variant);
            lines.add(new Charts.Line(batchNorm ? "with BN" : "without BN", steps, curve, batchNorm ? 1 : 0, false));
        });
        return Charts.lines(title, "steps", "test accuracy", lines, false);
    }

    /** Test accuracy at a few points of {@code epochs}: 2%, 10%, 20%, 50% and 100% of them. */
    String table(int epochs) {
        int[] points = IntStream.of(2, 10, 20, 50, 100).map(percent -> Math.max(1, epochs * percent / 100))
                .distinct().toArray();
        Map<String, List<History>> byVariant = Variants.byVariant(histories);
        MarkdownTable table = MarkdownTable.of("steps", "test accuracy without BN", "test accuracy with BN");
        for (int epoch : points) {
            List<Object> cells = new ArrayList<>(List.of(epoch * stepsPerEpoch));
            for (String variant : List.of(withoutBn, withBn)) {
                cells.add(SeedStatistics.of(byVariant.getOrDefault(variant, List.of()).stream()
                        .filter(h -> h.epochs().size() >= epoch)
                        .mapToDouble(h -> h.epochs().get(epoch - 1).valAccuracy())
                        .toArray()).format("%.4f"));
            }
            table.row(cells);
        }
        return table.toString();
    }
}
