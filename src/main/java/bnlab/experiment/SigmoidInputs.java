package bnlab.experiment;

import bnlab.report.Charts;
import bnlab.report.MarkdownTable;
import bnlab.train.ActivationDistributionListener;
import bnlab.train.History;
import bnlab.train.RunName;
import org.knowm.xchart.XYChart;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;

import static bnlab.experiment.Ioffe.PERCENTILES;

/**
 * What the Ioffe experiment's recorders recorded of the sigmoid's input, and its page's share
 * of it: the percentile panels of Figure 1 (b, c), a table of them, how far they drifted, and
 * every recorded percentile as CSV.
 *
 * @param histories the runs' histories
 * @param byRun     each run's recorder, by run name
 * @param firstSeed each variant's record from its first seed that recorded anything
 */
record SigmoidInputs(List<History> histories, Map<RunName, ActivationDistributionListener> byRun,
                     Map<String, ActivationDistributionListener> firstSeed) {

    static SigmoidInputs of(Results results) {
        Map<RunName, ActivationDistributionListener> byRun = results.recorders(ActivationDistributionListener.class);
        return new SigmoidInputs(results.histories(), byRun, firstSeedRecords(results.histories(), byRun));
    }

    /** Every run's recorded percentiles: run, steps, then one column per percentile. */
    String csv() {
        StringBuilder csv = new StringBuilder("run,steps");
        Arrays.stream(PERCENTILES).forEach(p -> csv.append(String.format(Locale.ROOT, ",p%.0f", p)));
        csv.append("\n");
        for (History history : histories) {
            ActivationDistributionListener record = byRun.get(history.name());
            if (record == null) {
                continue;
            }
            int[] steps = record.iterations();
            double[][] columns = IntStream.range(0, PERCENTILES.length).mapToObj(p -> percentile(record, p))
                    .toArray(double[][]::new);
            for (int i = 0; i < steps.length; i++) {
                csv.append(history.model()).append(',').append(steps[i]);
                for (double[] column : columns) {
                    csv.append(String.format(Locale.ROOT, ",%.6g", column[i]));
                }
                csv.append("\n");
            }
        }
        return csv.toString();
    }

    /** The recorded percentiles at the start, after 2%, 10%, 50% of the steps, and at the end. */
    String table(String without, String with) {
        MarkdownTable table = MarkdownTable.of("steps", "without BN", "with BN");
        String title = "Percentiles 15 / 50 / 85 of the sigmoid's input (first seed):\n\n";
        ActivationDistributionListener reference = firstSeed.values().stream().findFirst().orElse(null);
        if (reference == null) {
            return title + table.row("none recorded", "", "");
        }
        int[] steps = reference.iterations();
        for (int percent : new int[]{0, 2, 10, 50, 100}) {
            int index = Math.min(steps.length - 1, (int) Math.round((steps.length - 1) * percent / 100.0));
            List<Object> cells = new ArrayList<>(List.of(steps[index]));
            for (String variant : List.of(without, with)) {
                ActivationDistributionListener record = firstSeed.get(variant);
                cells.add(record == null || record.iterations().length <= index ? "-"
                        : String.format(Locale.ROOT, "%.3f / %.3f / %.3f", percentile(record, 0)[index],
                        percentile(record, 1)[index], percentile(record, 2)[index]));
            }
            table.row(cells);
        }
        return title + table;
    }

    /** How far the distribution moved over training: the range of its median and of its 15-85 spread. */
    String drift(String variant) {
        ActivationDistributionListener record = firstSeed.get(variant);
        if (record == null) {
            return "no distribution recorded";
        }
        double[] median = percentile(record, 1);
        double[] spread = IntStream.range(0, median.length)
                .mapToDouble(i -> percentile(record, 2)[i] - percentile(record, 0)[i]).toArray();
        return String.format(Locale.ROOT, "over training the sigmoid input's median ranged over [%.3f, %.3f] "
                        + "and its 15th-85th percentile spread over [%.3f, %.3f]",
                Arrays.stream(median).min().orElseThrow(), Arrays.stream(median).max().orElseThrow(),
                Arrays.stream(spread).min().orElseThrow(), Arrays.stream(spread).max().orElseThrow());
    }

    /** A panel of Figure 1: the percentiles of {@code variant}'s first seed over training. */
    XYChart percentiles(String title, String variant) {
        ActivationDistributionListener record = firstSeed.get(variant);
        List<Charts.Line> lines = new ArrayList<>();
        if (record != null) {
            double[] steps = Arrays.stream(record.iterations()).asDoubleStream().toArray();
            for (int p = PERCENTILES.length - 1; p >= 0; p--) {
                lines.add(new Charts.Line(String.format(Locale.ROOT, "%.0fth percentile", PERCENTILES[p]), steps,
                        percentile(record, p), p, false));
            }
        }
        return Charts.lines(title + ": input to a sigmoid", "steps", "sigmoid input", lines, false);
    }

    /** Each variant's record from its first seed that recorded anything. */
    private static Map<String, ActivationDistributionListener> firstSeedRecords(List<History> histories,
            Map<RunName, ActivationDistributionListener> byRun) {
        Map<String, ActivationDistributionListener> first = new HashMap<>();
        for (History history : histories) {
            ActivationDistributionListener listener = byRun.get(history.name());
            if (listener != null && listener.iterations().length > 0) {
                first.putIfAbsent(history.name().variant(), listener);
            }
        }
        return first;
    }

    /** The {@code index}-th of {@link Ioffe#PERCENTILES} at the record's one site. */
    private static double[] percentile(ActivationDistributionListener record, int index) {
        return record.percentile(record.sites().get(0), PERCENTILES[index]);
    }
}
