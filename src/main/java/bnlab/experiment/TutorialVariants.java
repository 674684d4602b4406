package bnlab.experiment;

import bnlab.data.TrainTest;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;

import java.util.Map;
import java.util.function.LongFunction;

/**
 * An experiment that trains variants of the tutorial's network the tutorial's way (10 epochs of
 * batches of 32 on full MNIST, 3 seeds; quick: 3 epochs of 5,000 examples, 2 seeds), each
 * variant over every seed. It declares its claim, variants and findings; the rest is here.
 */
interface TutorialVariants extends Experiment {

    /** Each variant's network for a seed, by variant name, in the order they train. */
    Map<String, LongFunction<MultiLayerConfiguration>> variants();

    @Override
    default ExperimentSettings defaults() {
        return ExperimentSettings.tutorial();
    }

    @Override
    default ExperimentSettings quick() {
        return ExperimentSettings.tutorialQuick();
    }

    @Override
    default Plan plan(ExperimentSettings settings, TrainTest data) {
        return new Plan(settings, data, Variants.runs(settings, variants()));
    }
}
