package bnlab.report;

import bnlab.train.EpochRecord;
import bnlab.train.History;

import java.util.List;

/** Histories as CSV: one row per epoch, and one row per iteration. */
public final class HistoryTables {

    private HistoryTables() {
    }

    /** {@code model,epoch,train_loss,train_accuracy,val_loss,val_accuracy,seconds} */
    public static String epochsCsv(List<History> histories) {
        StringBuilder csv = new StringBuilder("model,epoch,train_loss,train_accuracy,val_loss,val_accuracy,seconds\n");
        for (History history : histories) {
            for (EpochRecord r : history.epochs()) {
                csv.append(history.model()).append(',').append(r.epoch()).append(',')
                        .append(r.trainLoss()).append(',').append(r.trainAccuracy()).append(',')
                        .append(r.valLoss()).append(',').append(r.valAccuracy()).append(',')
                        .append(r.seconds()).append('\n');
            }
        }
        return csv.toString();
    }

    /** {@code model,iteration,score}, iterations counted from 1 */
    public static String iterationsCsv(List<History> histories) {
        StringBuilder csv = new StringBuilder("model,iteration,score\n");
        for (History history : histories) {
            List<Double> scores = history.iterationScores();
            for (int i = 0; i < scores.size(); i++) {
                csv.append(history.model()).append(',').append(i + 1).append(',').append(scores.get(i)).append('\n');
            }
        }
        return csv.toString();
    }
}
