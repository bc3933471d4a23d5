package io.agentcouncil.examples.http;

/**
 * A request the server refuses, with the HTTP status and a message that names the problem. Thrown
 * by handlers and rendered as an OpenAI-style error body by {@link ErrorResponses}.
 */
final class ApiError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** How much of a client's own input an error message may quote back. */
    static final int MAX_QUOTED_CHARS = 100;

    private final int status;
    private final long retryAfterSeconds;

    ApiError(int status, String message) {
        this(status, message, 0);
    }

    /** A refusal that tells the client when to come back ({@code Retry-After}), e.g. a 429. */
    ApiError(int status, String message, long retryAfterSeconds) {
        super(message, null, false, false); // a refusal, not a fault: no stack trace to fill or log
        this.status = status;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    int status() {
        return status;
    }

    /** Seconds for the {@code Retry-After} header; 0 for none. */
    long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    static ApiError badRequest(String message) {
        return new ApiError(400, message);
    }

    /**
     * {@code input} in double quotes, cut to its first {@value #MAX_QUOTED_CHARS}
     * characters so that an error never reflects a large or hostile payload back in full.
     */
    static String quote(String input) {
        boolean cut = input.length() > MAX_QUOTED_CHARS;
        int end = MAX_QUOTED_CHARS;
        if (cut && Character.isHighSurrogate(input.charAt(end - 1))) {
            end--; // never split a surrogate pair into an unpaired half
        }
        String head = cut ? input.substring(0, end) : input;
        return "\"" + head + "\"" + (cut ? "… (" + input.length() + " characters)" : "");
    }
}
