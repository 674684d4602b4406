package bnlab.experiment;

import bnlab.model.BuiltInModel;
import bnlab.report.Charts;
import bnlab.report.MarkdownTable;
import bnlab.train.History;
import bnlab.train.Status;
import org.knowm.xchart.XYChart;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.function.IntPredicate;
import java.util.stream.IntStream;

/**
 * One model's runs over the learning rates of a sweep, and the rates it trains at. A run
 * <em>trains</em> when it did not diverge and its final validation accuracy is at most
 * {@link #TOLERANCE} below the model's best: the highest mean final validation accuracy over the
 * rates where no seed diverged. Relative to the model's own best, so that the question is how far
 * the rate can rise before this model degrades, not whether it matches the other model.
 *
 * @param rates the learning rates
 * @param runs  the runs at each rate, in seed order (the same seeds at every rate)
 */
record LearningRateSweep(List<Double> rates, List<List<History>> runs) {

    /** Chosen before any full run: two points of accuracy below the best still count as training. */
    static final double TOLERANCE = 0.02;

    LearningRateSweep {
        rates = List.copyOf(rates);
        runs = runs.stream().map(List::copyOf).toList();
        if (rates.size() != runs.size()) {
            throw new IllegalArgumentException(rates.size() + " rates but runs for " + runs.size());
        }
    }

    /** Final validation accuracy at rate {@code r} (an index) over the seeds that finished. */
    SeedStatistics accuracy(int r) {
        return SeedStatistics.of(runs.get(r).stream()
                .filter(run -> run.status() == Status.DONE)
                .mapToDouble(run -> run.last().valAccuracy())
                .toArray());
    }

    long diverged(int r) {
        return runs.get(r).stream().filter(run -> run.status() == Status.DIVERGED).count();
    }

    /** The highest mean final validation accuracy over the rates where no seed diverged; NaN if there are none. */
    double bestAccuracy() {
        return IntStream.range(0, rates.size())
                .filter(r -> diverged(r) == 0)
                .mapToDouble(r -> accuracy(r).mean())
                .max().orElse(Double.NaN);
    }

    boolean trains(History run) {
        return run.status() == Status.DONE && run.last().valAccuracy() >= bestAccuracy() - TOLERANCE;
    }

    /** The largest rate at which the seed with index {@code seed} trains, if any. */
    OptionalDouble largestTrainingRate(int seed) {
        return largestRateWhere(r -> trains(runs.get(r).get(seed)));
    }

    /** log10 of each seed's largest rate that trains, over the seeds that train at some rate. */
    SeedStatistics log10LargestTrainingRate() {
        return SeedStatistics.of(IntStream.range(0, seeds())
                .mapToObj(this::largestTrainingRate)
                .filter(OptionalDouble::isPresent)
                .mapToDouble(rate -> Math.log10(rate.getAsDouble()))
                .toArray());
    }

    /** The largest rate at which every seed trains, if any. */
    OptionalDouble largestRateAllSeedsTrain() {
        return largestRateWhere(r -> runs.get(r).stream().allMatch(this::trains));
    }

    /** The largest rate at which no seed diverged, if any. */
    OptionalDouble largestRateWithoutDivergence() {
        return largestRateWhere(r -> diverged(r) == 0);
    }

    /** Each seed's largest rate that trains, formatted, "none" for a seed that trains at no rate. */
    String largestTrainingRatePerSeed() {
        return String.join(", ", IntStream.range(0, seeds())
                .mapToObj(seed -> format(largestTrainingRate(seed)))
                .toArray(String[]::new));
    }

    int seeds() {
        return runs.isEmpty() ? 0 : runs.get(0).size();
    }

    static String format(OptionalDouble rate) {
        return rate.isPresent() ? Variants.number(rate.getAsDouble()) : "none";
    }

    private OptionalDouble largestRateWhere(IntPredicate atRate) {
        return IntStream.range(0, rates.size()).filter(atRate).mapToDouble(rates::get).max();
    }

    /** Per model: its best accuracy and the rates it trains at. */
    static String table(Map<BuiltInModel, LearningRateSweep> models) {
        MarkdownTable table = MarkdownTable.of("model", "best mean accuracy", "trains at accuracy >=",
                "largest rate without divergence", "largest rate that trains, per seed",
                "largest rate at which every seed trains");
        models.forEach((model, sweep) -> table.row(model, String.format(Locale.ROOT, "%.4f", sweep.bestAccuracy()),
                String.format(Locale.ROOT, "%.4f", sweep.bestAccuracy() - TOLERANCE),
                format(sweep.largestRateWithoutDivergence()), sweep.largestTrainingRatePerSeed(),
                format(sweep.largestRateAllSeedsTrain())));
        return table.toString();
    }

    /**
     * Validation accuracy against learning rate for each model, and crosses at the bottom (one
     * height per model, so that they do not hide each other) at rates where some seed diverged.
     */
    static XYChart chart(Optimizer optimizer, Map<BuiltInModel, LearningRateSweep> models) {
        List<Charts.SweepLine> lines = new ArrayList<>();
        List<Charts.Marks> marks = new ArrayList<>();
        for (Map.Entry<BuiltInModel, LearningRateSweep> model : models.entrySet()) {
            LearningRateSweep results = model.getValue();
            int m = model.getKey().ordinal();
            int[] finished = IntStream.range(0, results.rates().size())
                    .filter(r -> results.accuracy(r).runs() > 0).toArray();
            lines.add(new Charts.SweepLine(model.getKey().toString(),
                    Arrays.stream(finished).mapToDouble(r -> results.rates().get(r)).toArray(),
                    Arrays.stream(finished).mapToDouble(r -> results.accuracy(r).mean()).toArray(),
                    Arrays.stream(finished).mapToDouble(r -> results.accuracy(r).sd()).toArray(), m));
            marks.add(new Charts.Marks(model.getKey() + " diverged (some seed)",
                    IntStream.range(0, results.rates().size()).filter(r -> results.diverged(r) > 0)
                            .mapToDouble(r -> results.rates().get(r)).toArray(), 0.05 * m, m));
        }
        return Charts.sweep(optimizer + ": final validation accuracy (mean ± sd over seeds)",
                "learning rate (log scale)", "validation accuracy", lines, marks);
    }
}
