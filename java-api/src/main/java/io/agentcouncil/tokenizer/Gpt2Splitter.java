package io.agentcouncil.tokenizer;

import static io.agentcouncil.tokenizer.CodepointClass.LETTER;
import static io.agentcouncil.tokenizer.CodepointClass.NUMBER;
import static io.agentcouncil.tokenizer.CodepointClass.OTHER;
import static io.agentcouncil.tokenizer.CodepointClass.WHITESPACE;

/**
 * GPT-2's {@code 's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)},
 * hand-written as llama.cpp does: the same pieces, without a regex engine in the hot path.
 */
final class Gpt2Splitter extends PreTokenizer {

    @Override
    void split(String s, int from, int to, IntList ends) {
        int pos = from;
        while (pos < to) {
            char c = s.charAt(pos);
            if (c == '\'' && pos + 1 < to) {
                char c1 = s.charAt(pos + 1);
                if (c1 == 's' || c1 == 't' || c1 == 'm' || c1 == 'd') {
                    ends.add(pos += 2);
                    continue;
                }
                if (pos + 2 < to) {
                    char c2 = s.charAt(pos + 2);
                    if ((c1 == 'r' && c2 == 'e') || (c1 == 'v' && c2 == 'e') || (c1 == 'l' && c2 == 'l')) {
                        ends.add(pos += 3);
                        continue;
                    }
                }
            }
            int start = c == ' ' ? pos + 1 : pos;
            byte cls = classAt(s, start, to);
            if (cls == LETTER || cls == NUMBER || cls == OTHER) {
                int p = start;
                while (p < to && classAt(s, p, to) == cls) {
                    p = next(s, p);
                }
                ends.add(pos = p);
                continue;
            }
            int p = pos;
            while (p < to && CodepointClass.of(s.charAt(p)) == WHITESPACE) {
                p++; // every White_Space code point is a single char
            }
            int spaces = p - pos;
            if (spaces > 1 && p < to) {
                ends.add(pos = p - 1); // \s+(?!\S): leave the last space to lead the next word
            } else if (spaces > 0) {
                ends.add(pos = p);
            } else {
                ends.add(pos = next(s, pos));
            }
        }
    }
}
