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
    private static final Map<BuiltInModel, List<String>> INTENDED = Map.of(
            BuiltInModel.MLP, List.of(),
            BuiltInModel.MLP_BN, List.of(),
            BuiltInModel.MLP_BN_AFTER, List.of("1 bn-after-activation", "3 bn-after-activation",
                    "5 bn-after-activation"),
            BuiltInModel.CNN, List.of(),
            BuiltInModel.CNN_BN, List.of());

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
