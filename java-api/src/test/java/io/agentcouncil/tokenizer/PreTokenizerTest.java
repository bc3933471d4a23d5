package io.agentcouncil.tokenizer;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The hand-written splitters against the regexes they replace, run through the same collapsed
 * regex path llama.cpp uses for regexes without a hand-written splitter.
 */
class PreTokenizerTest {
    private static final String QWEN2 = "(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+"
            + "|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
    private static final String LLAMA3 = QWEN2.replace("|\\p{N}|", "|\\p{N}{1,3}|");

    /** Characters chosen to hit every branch: each class, apostrophes, CR/LF, non-ASCII spaces, surrogates. */
    private static final String[] POOL = {"a", "Z", "s", "t", "S", "L", "e", "ll", "'", "’", " ", " ", " ", "\t", "\n", "\r",
        "\u00A0", "\u3000", "\u2028", "\u0085", "0", "7", "٣", "½", "Ⅻ", ".", ",", "!", "(", "$", "+", "<", "_", "é", "ß", "中",
        "ア", "한", "\u0301", "\u200D", "😀", "🇫", "𝔸", "\u001C", "\u0000", "\uE000", "ǅ"};

    private static List<String> pieces(PreTokenizer p, String s) {
        IntList ends = new IntList(8);
        p.split(s, 0, s.length(), ends);
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < ends.size(); i++) {
            out.add(s.substring(start, ends.get(i)));
            start = ends.get(i);
        }
        assertEquals(s.length(), start, "pieces must cover the input");
        return out;
    }

    private static void agreeOnRandomText(PreTokenizer fast, PreTokenizer oracle, long seed) {
        Random r = new Random(seed);
        for (int i = 0; i < 4000; i++) {
            StringBuilder sb = new StringBuilder();
            int n = r.nextInt(24);
            for (int k = 0; k < n; k++) {
                sb.append(POOL[r.nextInt(POOL.length)]);
            }
            String s = sb.toString();
            assertEquals(pieces(oracle, s), pieces(fast, s), () -> "input " + escape(s));
        }
    }

    private static String escape(String s) {
        StringBuilder sb = new StringBuilder();
        s.codePoints().forEach(cp -> sb.append(cp < 128 && cp >= 32 ? String.valueOf((char) cp) : String.format("\\u{%x}", cp)));
        return sb.toString();
    }

    @Test
    void gpt2SplitterEqualsItsRegex() {
        agreeOnRandomText(new Gpt2Splitter(), new CollapsedRegexSplitter(PreTokenizer.GPT2_REGEX), 1);
    }

    @Test
    void qwen2SplitterEqualsItsRegex() {
        agreeOnRandomText(new Llama3Splitter(1), new CollapsedRegexSplitter(QWEN2), 2);
    }

    @Test
    void llama3SplitterEqualsItsRegex() {
        agreeOnRandomText(new Llama3Splitter(3), new CollapsedRegexSplitter(LLAMA3), 3);
    }

    @Test
    void digitSplitterEqualsItsRegex() {
        agreeOnRandomText(new DigitSplitter(), new CollapsedRegexSplitter("\\p{N}"), 4);
    }

    @Test
    void knownSplits() {
        assertEquals(List.of("Hello", ",", " world", "'s", "  ", " x", "   "), pieces(new Gpt2Splitter(), "Hello, world's   x   "));
        assertEquals(List.of("1", "2", "3", "4", " apples", "\n\n", "  ", " ok"), pieces(new Llama3Splitter(1), "1234 apples\n\n   ok"));
        assertEquals(List.of("123", "4", " (", "ab", "'RE"), pieces(new Llama3Splitter(3), "1234 (ab'RE"));
        assertEquals(List.of(), pieces(new Gpt2Splitter(), ""));
    }
}
