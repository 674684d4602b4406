package bnlab.model;

/**
 * Which statistics normalize a hidden layer's output, if any. {@link BnPlacement} says where
 * the normalization sits.
 */
public enum Normalization {

    /** No normalization. */
    NONE,
    /**
     * DL4J's BatchNormalization with Keras's defaults: each feature or channel over the batch
     * (and pixels) in training, over running averages of those statistics in inference.
     */
    BATCH,
    /**
     * Layer normalization: each example over all of its features (for images: all channels
     * and pixels). Dense layers use DL4J's own ({@code hasLayerNorm}) where it fits, before the
     * activation; elsewhere a one-group {@link bnlab.model.layers.GroupNormalization}.
     */
    LAYER,
    /** {@link bnlab.model.layers.GroupNormalization}: each example over groups of channels. */
    GROUP
}
