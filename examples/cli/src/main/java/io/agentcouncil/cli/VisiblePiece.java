package io.agentcouncil.cli;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * A token's bytes as text a person can read on one line. Byte-level tokenizers split multi-byte
 * characters across tokens, so a piece may hold part of a character: such bytes are shown as
 * {@code <0xE2>} rather than as replacement characters that would hide which bytes they were.
 * Whitespace and control characters are escaped so that {@code " "} and {@code "\n"} stay visible.
 */
final class VisiblePiece {
    private VisiblePiece() {}

    static String of(byte[] bytes) {
        StringBuilder sb = new StringBuilder(bytes.length + 8);
        int i = 0;
        while (i < bytes.length) {
            int len = sequenceLength(bytes[i]);
            String ch = len > 0 && i + len <= bytes.length ? decodeStrict(bytes, i, len) : null;
            if (ch == null) {
                sb.append(String.format("<0x%02X>", bytes[i] & 0xff));
                i++;
            } else {
                appendEscaped(sb, ch.codePointAt(0));
                i += len;
            }
        }
        return sb.toString();
    }

    static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    /** Length of the UTF-8 sequence this lead byte starts, or 0 for a byte no sequence starts with. */
    private static int sequenceLength(byte lead) {
        int b = lead & 0xff;
        if (b < 0x80) {
            return 1;
        }
        if (b >= 0xc2 && b <= 0xdf) {
            return 2;
        }
        if (b >= 0xe0 && b <= 0xef) {
            return 3;
        }
        return b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    }

    /** The character, or null if the bytes are not exactly one well-formed UTF-8 sequence. */
    private static String decodeStrict(byte[] bytes, int from, int len) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder(); // reports malformed input by default
        try {
            return decoder.decode(ByteBuffer.wrap(bytes, from, len)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private static void appendEscaped(StringBuilder sb, int cp) {
        switch (cp) {
            case '\n' -> sb.append("\\n");
            case '\r' -> sb.append("\\r");
            case '\t' -> sb.append("\\t");
            case '\\' -> sb.append("\\\\");
            case '"' -> sb.append("\\\"");
            default -> {
                int type = Character.getType(cp);
                if (type == Character.CONTROL || type == Character.FORMAT || type == Character.SPACE_SEPARATOR && cp != ' ') {
                    sb.append(String.format("\\u%04X", cp)); // invisible or lookalike: NBSP, zero-width joiners
                } else {
                    sb.appendCodePoint(cp);
                }
            }
        }
    }
}
