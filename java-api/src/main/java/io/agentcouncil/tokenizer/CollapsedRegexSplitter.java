package io.agentcouncil.tokenizer;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A pre-tokenizer regex run the way llama.cpp runs those it has no hand-written splitter for:
 * every non-ASCII code point is replaced by one stand-in character for its Unicode category,
 * {@code \p{X}} becomes a class of that stand-in plus the ASCII members, and an ASCII-only regex
 * engine splits. Slower than the hand-written splitters; used only by rarer pre-tokenizers and as
 * their oracle in tests.
 */
final class CollapsedRegexSplitter extends PreTokenizer {
    private static final char NUMBER = '\u00D1';
    private static final char LETTER = '\u00D2';
    private static final char PUNCTUATION = '\u00D3';
    private static final char MARK = '\u00D4';
    private static final char SYMBOL = '\u00D5';
    private static final char OTHER = '\u00D0';
    private static final char SPACE = '\u000B';

    private final Pattern pattern;

    CollapsedRegexSplitter(String regex) {
        this.pattern = Pattern.compile(collapse(regex));
    }

    static String collapse(String regex) {
        StringBuilder out = new StringBuilder();
        boolean inClass = false;
        for (int i = 0; i < regex.length(); i++) {
            char c = regex.charAt(i);
            if (c == '[' && (i == 0 || regex.charAt(i - 1) != '\\')) {
                inClass = true;
            } else if (c == ']' && inClass && regex.charAt(i - 1) != '\\') {
                inClass = false;
            } else if (c == '\\' && i + 4 < regex.length() && regex.charAt(i + 1) == 'p' && regex.charAt(i + 2) == '{'
                    && regex.charAt(i + 4) == '}') {
                String members = switch (regex.charAt(i + 3)) {
                    case 'N' -> NUMBER + "0-9";
                    case 'L' -> LETTER + "A-Za-z";
                    case 'P' -> PUNCTUATION + "!-#%-*,-/:-;?-@\\[-\\]_\\{\\}";
                    case 'M' -> String.valueOf(MARK);
                    case 'S' -> SYMBOL + "\\$\\+<->\\^`\\|";
                    default -> null;
                };
                if (members != null) {
                    out.append(inClass ? members : "[" + members + "]");
                    i += 4;
                    continue;
                }
            }
            out.append(c);
        }
        return out.toString();
    }

    static char collapse(int cp) {
        if (cp < 128) {
            return (char) cp;
        }
        if (CodepointClass.isWhitespace(cp)) {
            return SPACE;
        }
        return switch (Character.getType(cp)) {
            case Character.UPPERCASE_LETTER, Character.LOWERCASE_LETTER, Character.TITLECASE_LETTER,
                    Character.MODIFIER_LETTER, Character.OTHER_LETTER -> LETTER;
            case Character.DECIMAL_DIGIT_NUMBER, Character.LETTER_NUMBER, Character.OTHER_NUMBER -> NUMBER;
            case Character.CONNECTOR_PUNCTUATION, Character.DASH_PUNCTUATION, Character.START_PUNCTUATION,
                    Character.END_PUNCTUATION, Character.INITIAL_QUOTE_PUNCTUATION, Character.FINAL_QUOTE_PUNCTUATION,
                    Character.OTHER_PUNCTUATION -> PUNCTUATION;
            case Character.NON_SPACING_MARK, Character.ENCLOSING_MARK, Character.COMBINING_SPACING_MARK -> MARK;
            case Character.MATH_SYMBOL, Character.CURRENCY_SYMBOL, Character.MODIFIER_SYMBOL, Character.OTHER_SYMBOL -> SYMBOL;
            default -> OTHER;
        };
    }

    @Override
    void split(String s, int from, int to, IntList ends) {
        int n = s.codePointCount(from, to);
        char[] collapsed = new char[n];
        int[] charIndex = new int[n + 1];
        for (int i = 0, p = from; i < n; i++) {
            int cp = s.codePointAt(p);
            collapsed[i] = collapse(cp);
            charIndex[i] = p;
            p += Character.charCount(cp);
        }
        charIndex[n] = to;
        Matcher m = pattern.matcher(java.nio.CharBuffer.wrap(collapsed));
        int last = 0;
        while (m.find()) {
            if (m.start() > last) {
                ends.add(charIndex[m.start()]);
            }
            ends.add(charIndex[m.end()]);
            last = m.end();
        }
        if (last < n) {
            ends.add(to);
        }
    }
}
