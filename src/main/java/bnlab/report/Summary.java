package bnlab.report;

import bnlab.train.EpochRecord;
import bnlab.train.History;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The final figures of each model of a run, with the settings that produced them:
 * what {@code summary.json} holds.
 */
public record Summary(Map<String, ModelResult> models, Object settings, Map<String, String> versions) {

    /** A model's figures after its last epoch. */
    public record ModelResult(double trainLoss, double trainAccuracy, double valLoss, double valAccuracy, int epochs,
                              double seconds) {

        static ModelResult of(History history) {
            EpochRecord last = history.last();
            return new ModelResult(last.trainLoss(), last.trainAccuracy(), last.valLoss(), last.valAccuracy(),
                    history.epochs().size(), history.seconds());
        }
    }

    public static Summary of(List<History> histories, Object settings) {
        Map<String, ModelResult> models = new LinkedHashMap<>();
        for (History history : histories) {
            models.put(history.model(), ModelResult.of(history));
        }
        return new Summary(models, settings, Versions.all());
    }

    /** The models' final figures side by side, one column per model. */
    public String table() {
        StringBuilder table = new StringBuilder(String.format(Locale.ROOT, "%-16s", ""));
        models.keySet().forEach(name -> table.append(String.format(Locale.ROOT, "%12s", name)));
        table.append('\n');
        row(table, "train_loss", ModelResult::trainLoss, "%12.4f");
        row(table, "train_accuracy", ModelResult::trainAccuracy, "%12.4f");
        row(table, "val_loss", ModelResult::valLoss, "%12.4f");
        row(table, "val_accuracy", ModelResult::valAccuracy, "%12.4f");
        row(table, "seconds/epoch", r -> r.seconds() / r.epochs(), "%12.1f");
        return table.toString();
    }

    private void row(StringBuilder table, String label, ToDoubleFunction<ModelResult> value,
                     String format) {
        table.append(String.format(Locale.ROOT, "%-16s", label));
        models.values().forEach(r -> table.append(String.format(Locale.ROOT, format, value.applyAsDouble(r))));
        table.append('\n');
    }
}
