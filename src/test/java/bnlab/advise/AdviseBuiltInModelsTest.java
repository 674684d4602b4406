package bnlab.advise;

import bnlab.model.BuiltInModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** bnlab's own models get exactly the advice they are meant to get. */
class AdviseBuiltInModelsTest {

    /** "layer rule" per model; a model added to BuiltInModel must be added here with what it should be told. */
    private static final Map<BuiltInModel, List<String>> INTENDED = Map.ofEntries(
            Map.entry(BuiltInModel.MLP, List.of()),
            Map.entry(BuiltInModel.MLP_BN, List.of()),
            Map.entry(BuiltInModel.MLP_BN_AFTER, List.of("1 bn-after-activation", "3 bn-after-activation",
                    "5 bn-after-activation")),
            Map.entry(BuiltInModel.CNN, List.of()),
            Map.entry(BuiltInModel.CNN_BN, List.of()),
            Map.entry(BuiltInModel.MLP_LN, List.of()),
            Map.entry(BuiltInModel.CNN_LN, List.of()),
            Map.entry(BuiltInModel.CNN_GN, List.of()),
            Map.entry(BuiltInModel.RNN, List.of()),
            Map.entry(BuiltInModel.RNN_LN, List.of()),
            // The recurrent experiment's BN variant: BN on the tanh output of a recurrent layer, both warned about.
            Map.entry(BuiltInModel.RNN_BN, List.of("1 bn-after-activation", "1 bn-in-recurrent-net")));

    @Test
    void everyBuiltInModelHasItsIntendedAdvice() {
        assertEquals(EnumSet.allOf(BuiltInModel.class), INTENDED.keySet(),
                "add each new built-in model to INTENDED with the findings it should get");
    }

    @ParameterizedTest
    @EnumSource(BuiltInModel.class)
    void reportsOnlyWhatIsIntended(BuiltInModel model) {
        Advice advice = Advice.of(model.toString(), model.configuration(42), OptionalInt.of(32));
        assertEquals(INTENDED.get(model), advice.findings().stream().map(f -> f.layer() + " " + f.rule()).toList(),
                advice::text);
    }
}
