package bnlab.report;

import bnlab.train.EpochRecord;
import bnlab.train.History;
import bnlab.train.Status;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The final figures of each model of a run, with the settings that produced them:
 * what {@code summary.json} holds.
 */
public record Summary(Map<String, ModelResult> models, Object settings, Map<String, String> versions) {

    /**
     * A model's figures after its last finished epoch (null when it finished none), and how
     * its training ended.
     */
    public record ModelResult(Double trainLoss, Double trainAccuracy, Double valLoss, Double valAccuracy, int epochs,
                              double seconds, Status status, String note) {

        static ModelResult of(History history) {
            EpochRecord last = history.last();
            return new ModelResult(
                    last == null ? null : last.trainLoss(),
                    last == null ? null : last.trainAccuracy(),
                    last == null ? null : last.valLoss(),
                    last == null ? null : last.valAccuracy(),
                    history.epochs().size(), history.seconds(), history.status(), history.note());
        }
    }

    public static Summary of(List<History> histories, Object settings) {
        Map<String, ModelResult> models = new LinkedHashMap<>();
        for (History history : histories) {
            models.put(history.model(), ModelResult.of(history));
        }
        return new Summary(models, settings, Versions.all());
    }

    /** Diverged if any model diverged, else done. */
    public Status status() {
        return models.values().stream().anyMatch(m -> m.status() == Status.DIVERGED) ? Status.DIVERGED : Status.DONE;
    }

    /** The models' final figures side by side, one column per model. */
    public String table() {
        StringBuilder table = new StringBuilder(String.format(Locale.ROOT, "%-16s", ""));
        models.keySet().forEach(name -> table.append(String.format(Locale.ROOT, "%12s", name)));
        table.append('\n');
        row(table, "train_loss", r -> number(r.trainLoss(), "%.4f"));
        row(table, "train_accuracy", r -> number(r.trainAccuracy(), "%.4f"));
        row(table, "val_loss", r -> number(r.valLoss(), "%.4f"));
        row(table, "val_accuracy", r -> number(r.valAccuracy(), "%.4f"));
        row(table, "seconds/epoch", r -> r.epochs() == 0 ? "-" : number(r.seconds() / r.epochs(), "%.1f"));
        row(table, "status", r -> r.status().toString());
        return table.toString();
    }

    private void row(StringBuilder table, String label, Function<ModelResult, String> value) {
        table.append(String.format(Locale.ROOT, "%-16s", label));
        models.values().forEach(r -> table.append(String.format(Locale.ROOT, "%12s", value.apply(r))));
        table.append('\n');
    }

    private static String number(Double value, String format) {
        return value == null ? "-" : String.format(Locale.ROOT, format, value);
    }
}
