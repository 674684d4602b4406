package bnlab.model;

/** Where a hidden layer's dropout sits, if it has any. */
public enum DropoutPlacement {
    /** No dropout. */
    NONE,
    /** Layer -> BN -> activation -> Dropout: after the whole block. */
    AFTER_ACTIVATION,
    /** Layer -> Dropout -> BN -> activation: BN normalizes dropped-out values. */
    BEFORE_BN
}
