package io.agentcouncil.tokenizer;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;

/**
 * Cuts special-token texts out of input before the tokenizer proper sees it, as llama.cpp does:
 * longest tokens first, each searched in what earlier ones left as plain text. User-defined tokens
 * are always matched; control tokens only when the caller asks to parse specials.
 */
final class SpecialTokenSplitter {
    private final int[] tokens;      // longest text first
    private final String[] texts;
    private final boolean[] userDefined;

    SpecialTokenSplitter(Vocabulary vocab) {
        List<Integer> ids = new ArrayList<>();
        for (int id = 0; id < vocab.size(); id++) {
            if (vocab.isSpecial(id)) {
                ids.add(id);
            }
        }
        ids.sort(Comparator.comparingInt((Integer id) -> vocab.text(id).length()).reversed());
        tokens = ids.stream().mapToInt(Integer::intValue).toArray();
        texts = new String[tokens.length];
        userDefined = new boolean[tokens.length];
        for (int i = 0; i < tokens.length; i++) {
            texts[i] = vocab.text(tokens[i]);
            userDefined[i] = vocab.type(tokens[i]) == TokenType.USER_DEFINED;
        }
    }

    /**
     * Fragments of {@code text} as triples in an IntList: (token id, -, -) for a special token, or
     * (-1, from, to) for plain text.
     */
    IntList split(String text, boolean parseSpecial) {
        IntList frags = new IntList(12);
        if (text.isEmpty()) {
            return frags;
        }
        frags.add(-1);
        frags.add(0);
        frags.add(text.length());
        BitSet pairs = pairsIn(text);
        for (int t = 0; t < tokens.length; t++) {
            if (!parseSpecial && !userDefined[t]) {
                continue;
            }
            String special = texts[t];
            if ((special.length() > 1 && !pairs.get(pairKey(special, 0))) || !text.contains(special)) {
                continue;
            }
            IntList next = new IntList(frags.size() + 6);
            for (int f = 0; f < frags.size(); f += 3) {
                int from = frags.get(f + 1);
                int to = frags.get(f + 2);
                if (frags.get(f) >= 0) {
                    next.add(frags.get(f));
                    next.add(0);
                    next.add(0);
                    continue;
                }
                int at;
                while ((at = text.indexOf(special, from)) >= 0 && at + special.length() <= to) {
                    if (at > from) {
                        next.add(-1);
                        next.add(from);
                        next.add(at);
                    }
                    next.add(tokens[t]);
                    next.add(0);
                    next.add(0);
                    from = at + special.length();
                }
                if (from < to) {
                    next.add(-1);
                    next.add(from);
                    next.add(to);
                }
            }
            frags = next;
        }
        return frags;
    }

    /** Which two-char openings occur in the text: skips most special tokens without a search. */
    private static BitSet pairsIn(String text) {
        BitSet pairs = new BitSet(1 << 16);
        for (int i = 0; i < text.length(); i++) {
            pairs.set(pairKey(text, i));
        }
        return pairs;
    }

    private static int pairKey(String s, int i) {
        char c0 = s.charAt(i);
        char c1 = i + 1 < s.length() ? s.charAt(i + 1) : 0;
        return (c0 * 31 + c1) & 0xFFFF;
    }
}
