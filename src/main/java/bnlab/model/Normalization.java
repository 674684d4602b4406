package bnlab.model;

/**
 * How a hidden layer's output is normalized, if at all, and where the normalization sits:
 * before the activation (Layer without activation -> normalization -> ActivationLayer), the
 * tutorial's and Ioffe and Szegedy's place, unless the name says otherwise.
 */
public enum Normalization {

    /** No normalization. */
    NONE,
    /**
     * DL4J's BatchNormalization with Keras's defaults ({@link KerasBatchNorm}): each feature or
     * channel over the batch (and pixels) in training, over running averages of those
     * statistics in inference.
     */
    BATCH,
    /** BatchNormalization after the layer's activation (Layer with its activation -> BN). */
    BATCH_AFTER_ACTIVATION,
    /**
     * Layer normalization: each example over all of its features (for images: all channels
     * and pixels). Dense layers use DL4J's own ({@code hasLayerNorm}) where it fits, before the
     * activation; elsewhere a one-group {@link bnlab.model.layers.GroupNormalization}.
     */
    LAYER,
    /** {@link bnlab.model.layers.GroupNormalization}: each example over groups of channels. */
    GROUP;

    /** Whether the normalization comes after the layer's activation rather than before it. */
    public boolean afterActivation() {
        return this == BATCH_AFTER_ACTIVATION;
    }
}
