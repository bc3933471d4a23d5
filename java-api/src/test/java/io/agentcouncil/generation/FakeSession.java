package io.agentcouncil.generation;

import io.agentcouncil.engine.ModelSession;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * A deterministic stand-in for a model session: the logits of a position are a function of the
 * context up to it. Counts what it is asked to evaluate, so tests can see prefix reuse.
 */
final class FakeSession implements ModelSession {

    private final int vocabularySize;
    private final int capacity;
    private final Function<int[], float[]> model;
    private final List<Integer> context = new ArrayList<>();
    final List<int[]> evalCalls = new ArrayList<>();
    int evaluatedTokens;
    int truncations;
    volatile long evalDelayMillis;
    boolean closed;

    /**
     * @param model the logits after a context (the whole sequence so far, oldest first)
     */
    FakeSession(int vocabularySize, int capacity, Function<int[], float[]> model) {
        this.vocabularySize = vocabularySize;
        this.capacity = capacity;
        this.model = model;
    }

    /** A model whose logits depend on the last token only. */
    static FakeSession byLastToken(int vocabularySize, int capacity, Function<Integer, float[]> next) {
        return new FakeSession(vocabularySize, capacity, ctx -> next.apply(ctx[ctx.length - 1]));
    }

    /** Logits that make {@code token} the clear favourite, with a spread-out tail so logprobs are interesting. */
    static float[] favour(int vocabularySize, int token) {
        float[] logits = new float[vocabularySize];
        for (int i = 0; i < vocabularySize; i++) {
            logits[i] = (float) Math.sin(i * 0.37) * 2; // deterministic tail in [-2, 2]
        }
        logits[token] = 12;
        return logits;
    }

    int[] context() {
        return context.stream().mapToInt(Integer::intValue).toArray();
    }

    @Override
    public int vocabularySize() {
        return vocabularySize;
    }

    @Override
    public int capacity() {
        return capacity;
    }

    @Override
    public int length() {
        return context.size();
    }

    @Override
    public float[] eval(int[] tokens) {
        float[][] all = evalAll(tokens);
        return all[all.length - 1];
    }

    @Override
    public float[][] evalAll(int[] tokens) {
        if (closed) {
            throw new IllegalStateException("closed");
        }
        if (tokens.length == 0 || context.size() + tokens.length > capacity) {
            throw new IllegalStateException(tokens.length + " tokens do not fit after " + context.size() + " of " + capacity);
        }
        for (int t : tokens) {
            if (t < 0 || t >= vocabularySize) {
                throw new IllegalArgumentException("token " + t);
            }
        }
        if (evalDelayMillis > 0) {
            try {
                Thread.sleep(evalDelayMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // a native eval would not notice either
            }
        }
        evalCalls.add(tokens.clone());
        evaluatedTokens += tokens.length;
        float[][] rows = new float[tokens.length][];
        for (int i = 0; i < tokens.length; i++) {
            context.add(tokens[i]);
            rows[i] = model.apply(context()).clone();
        }
        return rows;
    }

    @Override
    public void truncate(int keep) {
        if (keep < 0 || keep > context.size()) {
            throw new IllegalArgumentException("keep " + keep + " of " + context.size());
        }
        truncations++;
        context.subList(keep, context.size()).clear();
    }

    @Override
    public void close() {
        closed = true;
    }

    @Override
    public String toString() {
        return "FakeSession" + Arrays.toString(context());
    }
}
