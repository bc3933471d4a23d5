package io.agentcouncil;

/**
 * A well-formed model file that asks for something this engine does not implement: an unknown
 * tokenizer, pre-tokenizer or architecture. Distinct from a malformed file, which is a
 * {@link io.agentcouncil.gguf.GgufFormatException}.
 */
public final class UnsupportedModelException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UnsupportedModelException(String message) {
        super(message);
    }
}
