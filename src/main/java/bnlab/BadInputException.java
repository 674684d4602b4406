package bnlab;

/**
 * Input bnlab cannot use: a data file, a model file or a value given on the command line.
 * The message is one line that names the input and what is wrong with it; the command line
 * prints it and exits with code 2.
 */
public class BadInputException extends RuntimeException {

    public BadInputException(String message) {
        super(message);
    }

    public BadInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
