package bnlab.verify;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Verifies how a trained network's BatchNormalization behaves in training and inference mode
 * (eight checks), and demonstrates DL4J's traps around it, each against a stated bound.
 */
public final class Verification {

    private Verification() {
    }

    /** Runs every check on {@code subject}; {@code seed} seeds the networks the traps train. */
    public static List<Check> run(Subject subject, long seed) {
        List<Check> checks = new ArrayList<>();
        checks.add(BatchDependence.inferenceIgnoresTheBatch(subject));
        checks.add(BatchDependence.trainingDependsOnTheBatch(subject));
        checks.addAll(BnFormula.inferenceFollowsTheFormula(subject));
        checks.addAll(RunningStatistics.trackTheData(subject));
        checks.add(RunningStatistics.onlyTrainingUpdatesThem(subject));
        checks.add(EvaluationAgreement.evaluateIsInferenceMode(subject));
        checks.add(Serialization.saveAndLoadKeepsOutputs(subject));
        checks.add(SingleExampleBatches.areDetected(subject));
        checks.addAll(Traps.all(subject.data(), seed));
        return checks;
    }

    public static boolean allPassed(List<Check> checks) {
        return checks.stream().allMatch(Check::passed);
    }

    /** The checks as a Markdown table, then each check's claim and details. */
    public static String markdown(List<Check> checks) {
        StringBuilder md = new StringBuilder("| check | measured | bound | result |\n|---|---|---|---|\n");
        for (Check c : checks) {
            md.append(String.format(Locale.ROOT, "| %s | %.4g | %s | %s |%n", c.name(), c.measured(), c.bound(),
                    c.passed() ? "pass" : "FAIL"));
        }
        md.append('\n');
        for (Check c : checks) {
            md.append("- **").append(c.name()).append("**: ").append(c.claim()).append(". ").append(c.detail())
                    .append('.');
            if (!c.passed()) {
                md.append(" **Failed**: most likely ").append(c.ifFailed()).append('.');
            }
            md.append('\n');
        }
        return md.toString();
    }

    /** The checks as an aligned plain-text table. */
    public static String table(List<Check> checks) {
        StringBuilder table = new StringBuilder(String.format(Locale.ROOT, "%-36s %12s  %-46s %s%n", "check",
                "measured", "bound", "result"));
        for (Check c : checks) {
            table.append(String.format(Locale.ROOT, "%-36s %12.4g  %-46s %s%n", c.name(), c.measured(), c.bound(),
                    c.passed() ? "pass" : "FAIL"));
        }
        for (Check c : checks) {
            if (!c.passed()) {
                table.append(String.format(Locale.ROOT, "%n%s FAILED: most likely %s.%n", c.name(), c.ifFailed()));
            }
        }
        return table.toString();
    }
}
