package bnlab.cli;

import picocli.CommandLine;

/** Reads a count that must be at least 1. */
final class PositiveInt implements CommandLine.ITypeConverter<Integer> {

    @Override
    public Integer convert(String value) {
        int n;
        try {
            n = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new CommandLine.TypeConversionException("'" + value + "' is not a whole number");
        }
        if (n < 1) {
            throw new CommandLine.TypeConversionException("must be at least 1, was " + n);
        }
        return n;
    }
}
