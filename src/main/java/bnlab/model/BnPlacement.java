package bnlab.model;

/** Where a hidden layer's BatchNormalization (or other {@link Normalization}) sits, if it has one. */
public enum BnPlacement {
    /** No normalization. */
    NONE,
    /** Layer (no activation) -> BN -> activation: the tutorial's and Ioffe and Szegedy's way. */
    BEFORE_ACTIVATION,
    /** Layer with its activation -> BN. */
    AFTER_ACTIVATION
}
