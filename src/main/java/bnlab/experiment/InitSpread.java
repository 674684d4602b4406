package bnlab.experiment;

import bnlab.data.KnownDataset;
import bnlab.train.History;
import bnlab.train.Status;

import java.util.Comparator;
import java.util.List;
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
}
