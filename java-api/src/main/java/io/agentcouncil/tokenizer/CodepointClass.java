package io.agentcouncil.tokenizer;

/**
 * The four classes the pre-tokenizer regexes distinguish: {@code \s}, {@code \p{L}}, {@code \p{N}}
 * and everything else. Whitespace is Unicode's White_Space property, as in llama.cpp's tables.
 */
final class CodepointClass {
    static final byte WHITESPACE = 1;
    static final byte LETTER = 2;
    static final byte NUMBER = 3;
    static final byte OTHER = 4;

    private static final byte[] ASCII = new byte[128];

    static {
        for (int c = 0; c < 128; c++) {
            ASCII[c] = classify(c);
        }
    }

    private CodepointClass() {}

    static byte of(int cp) {
        return cp < 128 ? ASCII[cp] : classify(cp);
    }

    static boolean isWhitespace(int cp) {
        return (cp >= 0x09 && cp <= 0x0D) || cp == 0x20 || cp == 0x85 || cp == 0xA0 || cp == 0x1680
                || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 || cp == 0x202F || cp == 0x205F || cp == 0x3000;
    }

    private static byte classify(int cp) {
        if (isWhitespace(cp)) {
            return WHITESPACE;
        }
        return switch (Character.getType(cp)) {
            case Character.UPPERCASE_LETTER, Character.LOWERCASE_LETTER, Character.TITLECASE_LETTER,
                    Character.MODIFIER_LETTER, Character.OTHER_LETTER -> LETTER;
            case Character.DECIMAL_DIGIT_NUMBER, Character.LETTER_NUMBER, Character.OTHER_NUMBER -> NUMBER;
            default -> OTHER;
        };
    }
}
