package bnlab.distributed;

import bnlab.BadInputException;
import bnlab.cpu.NativeMemory;
import bnlab.data.BatchIterator;
import bnlab.data.InputShape;
import bnlab.data.TrainTest;
import bnlab.train.Console;
import bnlab.train.EpochRecord;
import bnlab.train.Fitting;
import bnlab.train.History;
import bnlab.train.HistoryListener;
import bnlab.train.Status;
import bnlab.train.Trainer;
import bnlab.train.TrainingSettings;
import bnlab.train.Validation;
import bnlab.ui.TrainingStats;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.util.CollectionAccumulator;
import org.deeplearning4j.core.storage.StatsStorageRouter;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.deeplearning4j.ui.model.stats.StatsListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

/**
 * One network trained across Spark workers with DL4J's parameter averaging
 * ({@link ParameterAveragingTrainingMaster}): each of {@code workers} workers trains its own
 * copy on batches of {@code batch size / workers} examples, and every {@value #AVERAGING}
 * batches the copies' parameters, updater state and BN running statistics are averaged into
 * one. Of the listeners given to {@link #fit} only the dashboard's ({@link StatsListener})
 * reports: a copy of it on every worker, whose reports DL4J's training master brings back to the
 * dashboard's storage after each averaging round, one worker ID each. The others are not called
 * (the workers' copies train, not the driver's network), and there is no gradient accumulation. The history is the one a run here keeps: per epoch the mean training loss and the
 * training accuracy over the workers' batches (as they trained, BN on batch statistics), and
 * the averaged network's validation figures; the iteration scores are the workers', in the
 * order they arrived.
 */
public final class DataParallel implements Fitting {

    /** Batches each worker trains between averagings: DL4J's default. */
    static final int AVERAGING = 5;

    private final JavaSparkContext spark;
    private final int workers;
    private final Console console;

    /**
     * @param workers workers that each train a copy of the network; the batch size must divide by it
     * @param console where each epoch's line goes
     */
    public DataParallel(JavaSparkContext spark, int workers, Console console) {
        this.spark = spark;
        this.workers = workers;
        this.console = console;
    }

    /** Refuses a global batch that does not split evenly over {@code workers}. */
    public static void requireDivisible(int batchSize, int workers) {
        if (batchSize % workers != 0) {
            throw new BadInputException("--batch-size " + batchSize + " does not split over --workers " + workers
                    + ": each worker trains on batch size / workers examples");
        }
    }

    @Override
    public History fit(TrainingSettings settings, History soFar, MultiLayerNetwork network, TrainTest data,
                       Trainer.EpochAction afterEpoch, TrainingListener... extra) {
        requireDivisible(settings.batchSize(), workers);
        if (settings.accumulation() != 1) {
            throw new IllegalArgumentException("gradient accumulation does not combine with training across workers");
        }
        int perWorker = settings.batchSize() / workers;
        Dashboard dashboard = Dashboard.of(extra);
        InputShape shape = InputShape.of(network.getLayerWiseConfigurations());
        CollectionAccumulator<double[]> batches = spark.sc().collectionAccumulator("bnlab worker batches");
        History history = soFar;
        for (int epoch = soFar.epochs().size(); epoch < settings.epochs(); epoch++) {
            long start = System.nanoTime();
            batches.reset();
            // From a broadcast, so that no task carries the epoch's batches in itself; an RDD made
            // from them directly put them into every task of every averaging round.
            List<DataSet> epochBatches = batchesOf(data, perWorker, shape, settings.seed(), epoch);
            Broadcast<List<DataSet>> shared = spark.broadcast(epochBatches);
            try {
                // A training master of the epoch's own, seeded by it: its random splits of the
                // batches are then the same whether the run went through or resumed from a checkpoint.
                ParameterAveragingTrainingMaster master = new ParameterAveragingTrainingMaster.Builder(workers, perWorker)
                        .batchSizePerWorker(perWorker)
                        .averagingFrequency(AVERAGING)
                        .saveUpdater(true)
                        .workerPrefetchNumBatches(0)
                        .rddTrainingApproach(RDDTrainingApproach.Direct)
                        .rngSeed(settings.seed() * 1_000 + epoch)
                        .build();
                master.setListeners(dashboard.router(), dashboard.withWorkerListeners(new WorkerBatches(batches)));
                new SparkDl4jMultiLayer(spark, network, master).fit(
                        spark.parallelize(IntStream.range(0, epochBatches.size()).boxed().toList(), workers)
                                .map(index -> shared.value().get(index)));
            } finally {
                shared.destroy();
            }
            history = withEpoch(history, batches.value(), network, data, shape, (System.nanoTime() - start) / 1e9);
            Trainer.printEpoch(console, history.model(), history.last(), settings.epochs());
            if (!Double.isFinite(history.last().trainLoss())) {
                console.printf("%n%s diverged: the training loss is %s%n", history.model(), history.last().trainLoss());
                return history.withStatus(Status.DIVERGED, "the training loss is " + history.last().trainLoss());
            }
            afterEpoch.accept(history, network);
        }
        return history.withStatus(Status.DONE, null);
    }

    /** The epoch's batches of {@code size}, in the order a run here would see them. */
    private static List<DataSet> batchesOf(TrainTest data, int size, InputShape shape, long seed, int epoch) {
        BatchIterator iterator = BatchIterator.shuffled(data.train(), size, shape, seed);
        iterator.startEpoch(epoch);
        List<DataSet> batches = new ArrayList<>();
        iterator.forEachRemaining(batches::add);
        return batches;
    }

    private static History withEpoch(History history, List<double[]> batches, MultiLayerNetwork network, TrainTest data,
                                     InputShape shape, double seconds) {
        double loss = batches.stream().mapToDouble(batch -> batch[0]).average().orElse(Double.NaN);
        double correct = batches.stream().mapToDouble(batch -> batch[1]).sum();
        double examples = batches.stream().mapToDouble(batch -> batch[2]).sum();
        Validation validation = Validation.of(network, BatchIterator.inOrder(data.test(), 1000, shape));
        List<EpochRecord> epochs = new ArrayList<>(history.epochs());
        epochs.add(new EpochRecord(epochs.size() + 1, loss, correct / examples, validation.loss(), validation.accuracy(),
                seconds));
        List<Double> scores = new ArrayList<>(history.iterationScores());
        batches.forEach(batch -> scores.add(batch[0]));
        return new History(history.name(), epochs, scores, Status.RUNNING, null);
    }

    /**
     * The dashboard's listener among a run's listeners, if it has one: where its reports go, and
     * a copy for the workers without that storage, which DL4J replaces there by a router of the
     * worker's own and sends back.
     */
    private record Dashboard(StatsStorageRouter router, List<TrainingListener> onWorkers) {

        static Dashboard of(TrainingListener... listeners) {
            return Arrays.stream(listeners).filter(StatsListener.class::isInstance).map(StatsListener.class::cast)
                    .findFirst()
                    .map(stats -> new Dashboard(stats.getStorageRouter(),
                            List.<TrainingListener>of(TrainingStats.listener(null, stats.getSessionID()))))
                    .orElse(new Dashboard(null, List.of()));
        }

        List<TrainingListener> withWorkerListeners(TrainingListener... more) {
            List<TrainingListener> all = new ArrayList<>(List.of(more));
            all.addAll(onWorkers);
            return all;
        }
    }

    /**
     * On each worker's copy: each batch's loss, and how many of its examples the copy
     * classified right as it trained on them, sent back through a Spark accumulator.
     */
    private static final class WorkerBatches extends BaseTrainingListener implements Serializable {

        private final CollectionAccumulator<double[]> batches;
        private double correct;
        private double examples;

        WorkerBatches(CollectionAccumulator<double[]> batches) {
            this.batches = batches;
        }

        @Override
        public void onForwardPass(Model model, List<INDArray> activations) {
            MultiLayerNetwork network = (MultiLayerNetwork) model;
            INDArray predicted = HistoryListener.predictions(network, activations).argMax(1);
            INDArray labels = network.getLabels().argMax(1);
            correct = predicted.eq(labels).castTo(DataType.DOUBLE).sumNumber().doubleValue();
            examples = labels.length();
        }

        @Override
        public void iterationDone(Model model, int iteration, int epoch) {
            batches.add(new double[]{model.score(), correct, examples});
            // The workers' copies train outside bnlab's Trainer, which keeps native memory bounded.
            NativeMemory.bound();
        }
    }
}
