package bnlab.experiment;

import bnlab.data.KnownDataset;
import bnlab.model.BuiltInModel;
import bnlab.report.Charts;
import bnlab.report.MarkdownTable;
import bnlab.train.History;
import bnlab.train.Status;
import org.knowm.xchart.CategoryChart;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.DoubleStream;
import java.util.stream.IntStream;

/**
 * One model's runs over several weight initializations, and how much the choice mattered: the
 * spread of final validation accuracy across them. Here a diverged run counts at chance accuracy
 * (a diverged network predicts no better), so that an initialization that blows up widens the
 * spread rather than dropping out of it.
 *
 * @param inits the initializations' names
 * @param runs  the runs of each initialization, in seed order (the same seeds for every one)
 */
record InitSpread(List<String> inits, List<List<History>> runs) {

    static final double CHANCE = 1.0 / KnownDataset.CLASSES;

    InitSpread {
        inits = List.copyOf(inits);
        runs = runs.stream().map(List::copyOf).toList();
        if (inits.size() != runs.size()) {
            throw new IllegalArgumentException(inits.size() + " initializations but runs for " + runs.size());
        }
    }

    /** A run's final validation accuracy, or chance if it diverged. */
    static double accuracy(History run) {
        return run.status() == Status.DIVERGED ? CHANCE : run.last().valAccuracy();
    }

    /** Each initialization's accuracy over its seeds. */
    SeedStatistics accuracy(int init) {
        return SeedStatistics.of(runs.get(init).stream().mapToDouble(InitSpread::accuracy).toArray());
    }

    /** The best initialization's mean accuracy minus the worst's. */
    double rangeOfMeans() {
        return means().max().orElseThrow() - means().min().orElseThrow();
    }

    /** Standard deviation of the initializations' mean accuracies. */
    double sdOfMeans() {
        return SeedStatistics.of(means().toArray()).sd();
    }

    /** The index of the initialization with the highest mean accuracy. */
    int best() {
        return IntStream.range(0, inits.size()).boxed().max(byMean()).orElseThrow();
    }

    /** The index of the initialization with the lowest mean accuracy. */
    int worst() {
        return IntStream.range(0, inits.size()).boxed().min(byMean()).orElseThrow();
    }

    /**
     * For each seed, the best initialization's accuracy minus the worst's: one spread per seed,
     * so that seeds give its mean and its noise.
     */
    SeedStatistics perSeedSpread() {
        return SeedStatistics.of(IntStream.range(0, runs.get(0).size())
                .mapToDouble(seed -> {
                    SeedStatistics acrossInits = SeedStatistics.of(runs.stream()
                            .mapToDouble(atInit -> accuracy(atInit.get(seed))).toArray());
                    return acrossInits.max() - acrossInits.min();
                })
                .toArray());
    }

    private DoubleStream means() {
        return IntStream.range(0, inits.size()).mapToDouble(init -> accuracy(init).mean());
    }

    private Comparator<Integer> byMean() {
        return Comparator.comparingDouble(init -> accuracy(init).mean());
    }

    /** Per model: its best and worst initialization and the spreads between them. */
    static String table(Map<BuiltInModel, InitSpread> models) {
        MarkdownTable table = MarkdownTable.of("model", "best initialization", "worst initialization", "range of means",
                "sd of means", "best minus worst, per seed");
        models.forEach((model, spread) -> table.row(model,
                String.format(Locale.ROOT, "%s %.4f", spread.inits().get(spread.best()), spread.accuracy(spread.best()).mean()),
                String.format(Locale.ROOT, "%s %.4f", spread.inits().get(spread.worst()),
                        spread.accuracy(spread.worst()).mean()),
                String.format(Locale.ROOT, "%.4f", spread.rangeOfMeans()),
                String.format(Locale.ROOT, "%.4f", spread.sdOfMeans()), spread.perSeedSpread().format("%.4f")));
        return table.toString();
    }

    /** Final validation accuracy per initialization, a bar per model. */
    static CategoryChart chart(String name, List<String> inits, Map<BuiltInModel, InitSpread> models) {
        double[][] means = new double[models.size()][];
        double[][] sds = new double[models.size()][];
        models.forEach((model, spread) -> {
            SeedStatistics[] accuracy = IntStream.range(0, inits.size()).mapToObj(spread::accuracy)
                    .toArray(SeedStatistics[]::new);
            means[BuiltInModel.TUTORIAL_MLPS.indexOf(model)] = Arrays.stream(accuracy).mapToDouble(SeedStatistics::mean).toArray();
            sds[BuiltInModel.TUTORIAL_MLPS.indexOf(model)] = Arrays.stream(accuracy).mapToDouble(SeedStatistics::sd).toArray();
        });
        return Charts.bars(name + ": final validation accuracy (mean ± sd)", "validation accuracy", inits,
                models.keySet().stream().map(BuiltInModel::toString).toList(), means, sds);
    }
}
