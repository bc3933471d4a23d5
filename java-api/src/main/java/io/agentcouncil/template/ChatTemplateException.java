package io.agentcouncil.template;

/**
 * A chat template that cannot be used: the model has none, it does not parse, or rendering it
 * failed, including when the template itself rejects the conversation through
 * {@code raise_exception(...)}. The message names the problem and, where known, the template line.
 */
public final class ChatTemplateException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ChatTemplateException(String message) {
        super(message);
    }

    public ChatTemplateException(String message, Throwable cause) {
        super(message, cause);
    }
}
