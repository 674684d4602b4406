package bnlab.cli;

import picocli.CommandLine;

import java.util.Arrays;

/**
 * Reads an enum by the name bnlab prints for it ({@code toString}: mlp_bn, placement, fashion),
 * in any case, and lists those names when the value is unknown.
 */
final class NamedValue<E extends Enum<E>> implements CommandLine.ITypeConverter<E> {

    private final Class<E> type;

    NamedValue(Class<E> type) {
        this.type = type;
    }

    @Override
    public E convert(String value) {
        for (E constant : type.getEnumConstants()) {
            if (constant.toString().equalsIgnoreCase(value.trim())) {
                return constant;
            }
        }
        throw new CommandLine.TypeConversionException("expected one of " + Arrays.toString(type.getEnumConstants())
                + " but was '" + value + "'");
    }
}
