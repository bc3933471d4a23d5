package io.agentcouncil.tokenizer;

/** {@code \p{N}}: every number code point becomes a piece of its own; the text between stays whole. */
final class DigitSplitter extends PreTokenizer {

    @Override
    void split(String s, int from, int to, IntList ends) {
        int pos = from;
        while (pos < to) {
            int after = next(s, pos);
            if (CodepointClass.of(s.codePointAt(pos)) == CodepointClass.NUMBER) {
                ends.add(after);
                pos = after;
                continue;
            }
            int p = after;
            while (p < to && CodepointClass.of(s.codePointAt(p)) != CodepointClass.NUMBER) {
                p = next(s, p);
            }
            ends.add(pos = p);
        }
    }
}
