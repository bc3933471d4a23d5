package io.agentcouncil.tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Turns a stream of generated tokens into text without ever emitting half a character: a token
 * may end inside a multi-byte UTF-8 sequence (an emoji split over byte tokens), so bytes are held
 * back until the sequence completes. One instance per stream; not thread-safe.
 */
public final class TokenDecoder {
    private final Tokenizer tokenizer;
    private final boolean renderSpecial;
    private byte[] pending = new byte[16];
    private int size;

    TokenDecoder(Tokenizer tokenizer, boolean renderSpecial) {
        this.tokenizer = tokenizer;
        this.renderSpecial = renderSpecial;
    }

    /** Adds a token; returns the text that became complete (often empty, never half a character). */
    public String append(int token) {
        byte[] piece = tokenizer.piece(token, renderSpecial);
        if (size + piece.length > pending.length) {
            pending = Arrays.copyOf(pending, Math.max(pending.length * 2, size + piece.length));
        }
        System.arraycopy(piece, 0, pending, size, piece.length);
        size += piece.length;
        int cut = completePrefix();
        String text = new String(pending, 0, cut, StandardCharsets.UTF_8);
        System.arraycopy(pending, cut, pending, 0, size - cut);
        size -= cut;
        return text;
    }

    /** Ends the stream: bytes of a character that never completed come out as U+FFFD. */
    public String finish() {
        String text = new String(pending, 0, size, StandardCharsets.UTF_8);
        size = 0;
        return text;
    }

    /**
     * Length of the longest prefix that does not end inside an unfinished UTF-8 sequence. Only
     * the last three bytes can start one; anything invalid is released to become U+FFFD.
     */
    private int completePrefix() {
        for (int back = 1; back <= Math.min(3, size); back++) {
            int b = pending[size - back] & 0xFF;
            if (b < 0x80) {
                return size; // ASCII ends every sequence before it
            }
            if (b >= 0xF8) {
                return size; // never a lead byte: release it to become U+FFFD
            }
            if (b >= 0xC0) {
                int need = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : 2;
                return need > back ? size - back : size;
            }
        }
        return size;
    }
}
