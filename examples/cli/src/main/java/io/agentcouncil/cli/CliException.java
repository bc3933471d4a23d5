package io.agentcouncil.cli;

/** A failure the user can act on: printed as one {@code error:} line, never as a stack trace. */
final class CliException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** A model file that is malformed, unsupported or unreadable, or a fetch that failed. */
    static final int BAD_FILE = 1;
    /** The command line names something that does not exist (an unknown model, a missing path). */
    static final int USAGE = 2;
    /** A roster model is not in the cache yet: the message says how to fetch it. */
    static final int MODEL_MISSING = 3;

    /** The exit statuses as the usage lists them ({@code exitCodeList}); annotations take only constants. */
    static final String EXIT_HEADING = "%nExit status:%n";
    static final String EXIT_OK = "0:success";
    static final String EXIT_FAILURE = "1:a runtime failure: a bad, unreadable or unsupported model file, a failed fetch or turn";
    static final String EXIT_USAGE = "2:a usage error: an unknown option, command or model name, a value out of range";
    static final String EXIT_MODEL_MISSING = "3:a roster model is not fetched; the message gives the scripts/fetch-models command";

    private final int exitCode;

    CliException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    int exitCode() {
        return exitCode;
    }
}
