package io.agentcouncil.cli;

/** A failure the user can act on: printed as one {@code error:} line, never as a stack trace. */
final class CliException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** A model file that is malformed, unsupported or unreadable, or a fetch that failed. */
    static final int BAD_FILE = 1;
    /** The command line names something that does not exist (an unknown model, a missing path). */
    static final int USAGE = 2;

    private final int exitCode;

    CliException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    int exitCode() {
        return exitCode;
    }
}
