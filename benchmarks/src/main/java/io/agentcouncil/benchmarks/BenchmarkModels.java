package io.agentcouncil.benchmarks;

import io.agentcouncil.models.ModelRoster;
import io.agentcouncil.tokenizer.Tokenizer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;

/** Inputs shared by the benchmarks: roster model files and the English prose sample. */
final class BenchmarkModels {
    private BenchmarkModels() {}

    static Path path(String rosterName) {
        return ModelRoster.get().resolve(rosterName);
    }

    /** About 100 KB of English prose (GSM8K questions, see prose-en.SOURCE.md). */
    static String prose() {
        try (InputStream in = BenchmarkModels.class.getResourceAsStream("/prose-en.txt")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The first {@code n} tokens of the prose sample, encoded without BOS and with special-token
     * text as plain text (as llama.cpp's {@code tokenize(add_bos=False, special=False)}).
     */
    static int[] proseTokens(Tokenizer tokenizer, int n) {
        int[] all = tokenizer.encode(prose());
        if (all.length < n) {
            throw new IllegalStateException("the prose sample has " + all.length + " tokens, fewer than " + n);
        }
        return Arrays.copyOf(all, n);
    }

    /** Greedy choice: the index of the largest logit, the first one on ties (as numpy's argmax). */
    static int argmax(float[] logits) {
        int best = 0;
        for (int i = 1; i < logits.length; i++) {
            if (logits[i] > logits[best]) {
                best = i;
            }
        }
        return best;
    }
}
