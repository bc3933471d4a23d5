package io.agentcouncil.tokenizer;

import static io.agentcouncil.tokenizer.CodepointClass.LETTER;
import static io.agentcouncil.tokenizer.CodepointClass.NUMBER;
import static io.agentcouncil.tokenizer.CodepointClass.OTHER;
import static io.agentcouncil.tokenizer.CodepointClass.WHITESPACE;

/**
 * The Llama 3 / Qwen 2 pre-tokenizer, {@code (?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|
 * \p{N}{1,k}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+}, hand-written. Llama 3 groups up
 * to three digits, Qwen 2 keeps every digit alone.
 */
final class Llama3Splitter extends PreTokenizer {
    private final int maxDigits;

    Llama3Splitter(int maxDigits) {
        this.maxDigits = maxDigits;
    }

    @Override
    void split(String s, int from, int to, IntList ends) {
        int pos = from;
        while (pos < to) {
            int cp = s.codePointAt(pos);
            if (cp == '\'' && pos + 1 < to) {
                char c1 = Character.toLowerCase(s.charAt(pos + 1));
                if (c1 == 's' || c1 == 't' || c1 == 'm' || c1 == 'd') {
                    ends.add(pos += 2);
                    continue;
                }
                if (pos + 2 < to) {
                    char c2 = Character.toLowerCase(s.charAt(pos + 2));
                    if ((c1 == 'r' && c2 == 'e') || (c1 == 'v' && c2 == 'e') || (c1 == 'l' && c2 == 'l')) {
                        ends.add(pos += 3);
                        continue;
                    }
                }
            }
            byte cls = CodepointClass.of(cp);
            int after = next(s, pos);
            if (cp != '\r' && cp != '\n' && cls != NUMBER && (cls == LETTER || classAt(s, after, to) == LETTER)) {
                int p = after;
                while (p < to && classAt(s, p, to) == LETTER) {
                    p = next(s, p);
                }
                ends.add(pos = p);
                continue;
            }
            if (cls == NUMBER) {
                int p = pos;
                int run = 0;
                while (p < to && classAt(s, p, to) == NUMBER && run < maxDigits) {
                    p = next(s, p);
                    run++;
                }
                ends.add(pos = p);
                continue;
            }
            int start = cp == ' ' ? pos + 1 : pos;
            if (classAt(s, start, to) == OTHER) {
                int p = start;
                while (p < to && classAt(s, p, to) == OTHER) {
                    p = next(s, p);
                }
                while (p < to && (s.charAt(p) == '\r' || s.charAt(p) == '\n')) {
                    p++;
                }
                ends.add(pos = p);
                continue;
            }
            int p = pos;
            int lastNewline = -1;
            while (p < to && CodepointClass.of(s.charAt(p)) == WHITESPACE) {
                char w = s.charAt(p++);
                if (w == '\r' || w == '\n') {
                    lastNewline = p;
                }
            }
            int spaces = p - pos;
            if (lastNewline > 0) {
                ends.add(pos = lastNewline); // \s*[\r\n]+
            } else if (spaces > 1 && p < to) {
                ends.add(pos = p - 1); // \s+(?!\S)
            } else if (spaces > 0) {
                ends.add(pos = p); // \s+
            } else {
                ends.add(pos = after);
            }
        }
    }
}
