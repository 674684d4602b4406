package bnlab.cli;

import picocli.CommandLine;

/** Reads a TCP port: 0 to 65535, where 0 lets the system pick a free one. */
final class PortNumber implements CommandLine.ITypeConverter<Integer> {

    @Override
    public Integer convert(String value) {
        int port;
        try {
            port = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new CommandLine.TypeConversionException("'" + value + "' is not a port number");
        }
        if (port < 0 || port > 65535) {
            throw new CommandLine.TypeConversionException("must be a port from 0 to 65535, was " + port);
        }
        return port;
    }
}
