package io.agentcouncil.gguf;

/**
 * A GGUF file that does not hold what it claims. The message names the offending field and the
 * byte offset where it was read, so a user can tell a truncated download from a bad converter.
 */
public final class GgufFormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String field;
    private final long offset;

    public GgufFormatException(String field, long offset, String problem) {
        super(field + " at offset " + offset + ": " + problem);
        this.field = field;
        this.offset = offset;
    }

    /** The field being read, e.g. {@code tensor[12].dims} or {@code metadata["general.name"]}. */
    public String field() {
        return field;
    }

    /** Byte offset in the file where the field starts, or -1 when it is not tied to one place. */
    public long offset() {
        return offset;
    }
}
