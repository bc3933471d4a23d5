package io.agentcouncil.template;

import java.util.ArrayList;
import java.util.List;

/**
 * Python {@code str} semantics that differ from Java's: whitespace is what {@code str.isspace()}
 * accepts (Java's {@code trim()} stops at U+0020 and misses U+00A0), indexes count code points.
 */
final class PythonStr {

    private PythonStr() {}

    /** Python's {@code str.isspace()} for one character. */
    static boolean isSpace(int cp) {
        return Character.isWhitespace(cp) || Character.isSpaceChar(cp) || cp == 0x85;
    }

    /** {@code s.strip(chars)}; null {@code chars} strips whitespace. */
    static String strip(String s, String chars) {
        return rstrip(lstrip(s, chars), chars);
    }

    static String lstrip(String s, String chars) {
        int i = 0;
        while (i < s.length() && stripped(s.codePointAt(i), chars)) {
            i += Character.charCount(s.codePointAt(i));
        }
        return s.substring(i);
    }

    static String rstrip(String s, String chars) {
        int end = s.length();
        while (end > 0 && stripped(s.codePointBefore(end), chars)) {
            end -= Character.charCount(s.codePointBefore(end));
        }
        return s.substring(0, end);
    }

    private static boolean stripped(int cp, String chars) {
        return chars == null ? isSpace(cp) : chars.indexOf(cp) >= 0;
    }

    /**
     * {@code s.split(sep, maxSplit)}: a null {@code sep} splits on runs of whitespace and drops
     * empty parts; a negative {@code maxSplit} splits everywhere.
     */
    static List<String> split(String s, String sep, int maxSplit) {
        if (sep == null) {
            return splitWhitespace(s, maxSplit);
        }
        if (sep.isEmpty()) {
            throw new IllegalArgumentException("empty separator");
        }
        List<String> parts = new ArrayList<>();
        int from = 0;
        for (int at = s.indexOf(sep); at >= 0 && (maxSplit < 0 || parts.size() < maxSplit); at = s.indexOf(sep, from)) {
            parts.add(s.substring(from, at));
            from = at + sep.length();
        }
        parts.add(s.substring(from));
        return parts;
    }

    private static List<String> splitWhitespace(String s, int maxSplit) {
        List<String> parts = new ArrayList<>();
        int i = 0;
        while (true) {
            while (i < s.length() && isSpace(s.codePointAt(i))) {
                i += Character.charCount(s.codePointAt(i));
            }
            if (i >= s.length()) {
                return parts;
            }
            if (maxSplit >= 0 && parts.size() == maxSplit) {
                parts.add(rstrip(s.substring(i), null));
                return parts;
            }
            int end = i;
            while (end < s.length() && !isSpace(s.codePointAt(end))) {
                end += Character.charCount(s.codePointAt(end));
            }
            parts.add(s.substring(i, end));
            i = end;
        }
    }

    /** {@code s[index]}, negative from the end; null (undefined) when out of range. */
    static String charAt(String s, long index) {
        int length = s.codePointCount(0, s.length());
        long i = index < 0 ? index + length : index;
        if (i < 0 || i >= length) {
            return null;
        }
        int at = s.offsetByCodePoints(0, (int) i);
        return new String(Character.toChars(s.codePointAt(at)));
    }
}
