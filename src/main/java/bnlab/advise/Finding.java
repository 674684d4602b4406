package bnlab.advise;

import org.deeplearning4j.nn.conf.layers.Layer;

/**
 * One thing a rule found in a model.
 *
 * @param layer   index of the layer in the configuration, from 0
 * @param name    the layer's name
 * @param type    the layer's configuration class, with its frozen wrapper if it has one
 * @param rule    the rule that found it
 * @param problem what is wrong
 * @param why     why it matters
 * @param fix     what to do instead
 */
public record Finding(int layer, String name, String type, String rule, String problem, String why, String fix) {

    /**
     * A finding at layer {@code index} of a configuration, named and typed as the linter shows
     * layers ({@code layer} is {@code configuration.getConf(index).getLayer()}).
     */
    public static Finding at(int index, Layer layer, String rule, String problem, String why, String fix) {
        String name = layer.getLayerName() != null ? layer.getLayerName() : Layers.unwrapped(layer).getLayerName();
        return new Finding(index, name != null ? name : "layer" + index, Layers.describe(layer), rule, problem, why,
                fix);
    }
}
