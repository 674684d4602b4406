package bnlab.advise;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * What the BN linter found in one model: every rule's findings, in layer order. The linter
 * reads a stock {@link MultiLayerConfiguration}; nothing is trained. Add checks of your own
 * by passing {@link Rule}s to {@link #of(String, MultiLayerConfiguration, OptionalInt, List)}.
 *
 * @param model     the model as the user named it
 * @param batchSize the training batch size checked, or null when not given
 * @param layers    the number of layers checked
 * @param findings  the findings, by layer index, then by rule
 */
public record Advice(String model, Integer batchSize, int layers, List<Finding> findings) {

    private static final List<Rule> RULES = List.of(new BnAfterActivation(), new BnOnOutput(),
            new DeepStackWithoutNormalization(), new BnInRecurrentNet(), new IgnoredDropout(), new DropoutBeforeBn(),
            new GradientNormalizationOnBn(), new TrainableBnBelowFrozenLayer(), new FrozenBnAboveTrainableLayers(),
            new FrozenBnWithBackprop());

    private static final int WIDTH = 100;

    public Advice {
        findings = List.copyOf(findings);
    }

    /** The built-in rules' findings, without the checks that need the training batch size. */
    public static Advice of(String model, MultiLayerConfiguration configuration) {
        return of(model, configuration, OptionalInt.empty());
    }

    /** The built-in rules' findings for training with batches of {@code batchSize}. */
    public static Advice of(String model, MultiLayerConfiguration configuration, int batchSize) {
        return of(model, configuration, OptionalInt.of(batchSize));
    }

    /** The built-in rules' findings, with the batch-size checks when the batch size is given. */
    public static Advice of(String model, MultiLayerConfiguration configuration, OptionalInt batchSize) {
        return of(model, configuration, batchSize, List.of());
    }

    /**
     * The findings of the built-in rules and of {@code moreRules}.
     *
     * @param model         the model's name, as the findings' text shows it
     * @param configuration the model
     * @param batchSize     the training batch size, if known: the batch-size checks need it
     * @param moreRules     checks of your own, run after the built-in ones
     */
    public static Advice of(String model, MultiLayerConfiguration configuration, OptionalInt batchSize,
                            List<? extends Rule> moreRules) {
        List<Rule> rules = new ArrayList<>(RULES);
        batchSize.ifPresent(n -> rules.add(new SmallBatch(n)));
        rules.addAll(moreRules);
        List<Finding> findings = rules.stream()
                .flatMap(rule -> rule.check(configuration).stream())
                .sorted(Comparator.comparingInt(Finding::layer))
                .toList();
        return new Advice(model, batchSize.isPresent() ? batchSize.getAsInt() : null,
                configuration.getConfs().size(), findings);
    }

    /** Whether no rule found anything. */
    public boolean clean() {
        return findings.isEmpty();
    }

    /**
     * The findings for people: each with its layer, problem, why and fix, wrapped to {@value #WIDTH}
     * columns; a reason already given for an earlier layer is referred to, not repeated.
     */
    public String text() {
        if (clean()) {
            return model + ": no findings in " + layers + " layers.\n";
        }
        StringBuilder text = new StringBuilder(model + ": " + findings.size()
                + (findings.size() == 1 ? " finding" : " findings") + " in " + layers + " layers\n");
        Map<String, Integer> explained = new HashMap<>();
        for (Finding f : findings) {
            text.append("\nlayer ").append(f.layer()).append(" \"").append(f.name()).append("\" (").append(f.type())
                    .append("): ").append(f.rule()).append('\n');
            wrapped(text, "  problem: ", f.problem());
            Integer first = explained.putIfAbsent(f.why(), f.layer());
            wrapped(text, "  why:     ", first == null ? f.why() : "as for layer " + first + ".");
            wrapped(text, "  fix:     ", f.fix());
        }
        return text.toString();
    }

    private static void wrapped(StringBuilder text, String label, String paragraph) {
        StringBuilder line = new StringBuilder(label);
        for (String word : paragraph.split(" ")) {
            if (line.length() > label.length() && line.length() + 1 + word.length() > WIDTH) {
                text.append(line).append('\n');
                line = new StringBuilder(" ".repeat(label.length()));
            } else if (line.length() > label.length()) {
                line.append(' ');
            }
            line.append(word);
        }
        text.append(line).append('\n');
    }
}
