package io.agentcouncil.tokenizer;

import io.agentcouncil.UnsupportedModelException;

import java.util.List;

/**
 * Splits text into the words that byte-level BPE merges within, following llama.cpp's
 * pre-tokenizer for each {@code tokenizer.ggml.pre} value. Each stage splits the pieces of the
 * stage before it, so no later match crosses an earlier boundary.
 */
abstract class PreTokenizer {

    static final String GPT2_REGEX = "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)";

    /**
     * Appends to {@code ends} the end index of every piece of {@code s[from, to)}; the pieces are
     * contiguous and cover the range.
     */
    abstract void split(String s, int from, int to, IntList ends);

    static PreTokenizer forName(String pre) {
        return switch (pre) {
            case "gpt2", "gpt-2" -> new Gpt2Splitter();
            case "smollm", "starcoder", "refact", "codeshell" -> sequence(new DigitSplitter(), new Gpt2Splitter());
            case "llama3", "llama-v3", "llama-bpe" -> new Llama3Splitter(3);
            case "qwen2", "deepseek-r1-qwen" -> new Llama3Splitter(1);
            case "default" -> sequence(
                    new CollapsedRegexSplitter("[\\p{P}\\$\\+<=>\\^~\\|]+"),
                    new Gpt2Splitter(),
                    new CollapsedRegexSplitter("\\p{N}+"),
                    new CollapsedRegexSplitter("[0-9][0-9][0-9]"));
            default -> throw new UnsupportedModelException("unsupported BPE pre-tokenizer \"" + pre
                    + "\" (tokenizer.ggml.pre); supported: default, gpt2, smollm, starcoder, llama3, llama-bpe, qwen2");
        };
    }

    private static PreTokenizer sequence(PreTokenizer... stages) {
        List<PreTokenizer> list = List.of(stages);
        return new PreTokenizer() {
            @Override
            void split(String s, int from, int to, IntList ends) {
                IntList current = new IntList(16);
                current.add(to);
                for (PreTokenizer stage : list) {
                    IntList next = new IntList(current.size() * 2);
                    int start = from;
                    for (int i = 0; i < current.size(); i++) {
                        int end = current.get(i);
                        stage.split(s, start, end, next);
                        start = end;
                    }
                    current = next;
                }
                for (int i = 0; i < current.size(); i++) {
                    ends.add(current.get(i));
                }
            }
        };
    }

    /** Class of the code point at {@code i}, or 0 past {@code to} (the regex's end of input). */
    static byte classAt(String s, int i, int to) {
        return i < to ? CodepointClass.of(s.codePointAt(i)) : 0;
    }

    static int next(String s, int i) {
        return i + Character.charCount(s.codePointAt(i));
    }
}
