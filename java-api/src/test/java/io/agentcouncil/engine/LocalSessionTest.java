package io.agentcouncil.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentcouncil.TestModels;

import java.io.IOException;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Batching, truncation, copying and every misuse of a session, on SmolLM2. */
class LocalSessionTest {
    private static final String TEXT = "The quick brown fox jumps over the lazy dog. Meanwhile, in a small village by the sea,"
            + " the fishermen were mending their nets and talking about the weather, which had been unusually warm."
            + " Nobody could remember a November like it: the gulls stayed, the figs ripened twice, and the old harbour master"
            + " swore that the tide tables were wrong.";

    private static LocalModel model;
    private static int[] prompt;

    @BeforeAll
    static void load() throws IOException {
        model = LocalModel.load(TestModels.require(TestModels.SMOLLM2), 2);
        prompt = model.tokenizer().encode(TEXT);
        assertTrue(prompt.length > 40, () -> "prompt of " + prompt.length + " tokens");
    }

    @AfterAll
    static void close() {
        if (model != null) {
            model.close();
        }
    }

    /**
     * One pass over the whole prompt against one pass per token. The two differ as llama.cpp's
     * do: every weight product rounds alike, but attention of a single token is a matrix-vector
     * product, which ggml sums in another order than the matrix product of a batch, and this
     * model amplifies such rounding differences: llama.cpp itself moves by up to 2.5 logits
     * between the same two schedules (reference/logits-smollm2-135m-instruct.json, "variation").
     * The bounds are that.
     */
    @Test
    void batchedPrefillEqualsTokenByTokenEvaluation() {
        float[][] batched;
        try (ModelSession s = model.newSession(128)) {
            batched = s.evalAll(prompt);
            assertEquals(prompt.length, s.length());
        }
        double maxDelta = 0;
        double sumDelta = 0;
        double worstTie = 0;
        int agree = 0;
        try (ModelSession s = model.newSession(128)) {
            for (int i = 0; i < prompt.length; i++) {
                float[] step = s.eval(new int[] {prompt[i]});
                maxDelta = Math.max(maxDelta, maxAbsDiff(batched[i], step));
                sumDelta += meanAbsDiff(batched[i], step);
                int a = LocalModelSanityTest.argmax(batched[i]);
                int b = LocalModelSanityTest.argmax(step);
                agree += a == b ? 1 : 0;
                worstTie = Math.max(worstTie, batched[i][a] - batched[i][b]);
            }
        }
        double meanDelta = sumDelta / prompt.length;
        System.out.printf("batched (%d tokens) vs token by token: max |dlogit| = %.3g, mean %.3g, top-1 agree %d/%d,"
                + " differing top-1s within %.3f%n", prompt.length, maxDelta, meanDelta, agree, prompt.length, worstTie);
        assertTrue(maxDelta < 2.5, "max |dlogit| " + maxDelta);
        assertTrue(meanDelta < 0.3, "mean |dlogit| " + meanDelta);
        assertTrue(worstTie <= 1.0, "top-1s differ by " + worstTie + " in the batched logits: no near-tie");
        assertTrue(agree >= 0.9 * prompt.length, agree + " of " + prompt.length + " top-1 equal");
    }

    @Test
    void evalReturnsTheLastRowOfEvalAll() {
        float[] last;
        float[][] all;
        try (ModelSession s = model.newSession(64)) {
            last = s.eval(Arrays.copyOf(prompt, 20));
        }
        try (ModelSession s = model.newSession(64)) {
            all = s.evalAll(Arrays.copyOf(prompt, 20));
        }
        // Equal up to the order of additions in the output matmul (one row against twenty).
        assertTrue(maxAbsDiff(all[19], last) < 1e-3, () -> "max |dlogit| " + maxAbsDiff(all[19], last));
    }

    @Test
    void anEvalLongerThanOnePassRunsAsConsecutivePassesOf512() {
        int[] longPrompt = repeat(prompt, 600);
        float[] whole;
        float[] split;
        try (ModelSession s = model.newSession(640)) {
            whole = s.eval(longPrompt);
            assertEquals(600, s.length());
        }
        try (ModelSession s = model.newSession(640)) {
            s.eval(Arrays.copyOf(longPrompt, 512));
            split = s.eval(Arrays.copyOfRange(longPrompt, 512, 600));
        }
        assertArrayEquals(split, whole);
    }

    /**
     * The kept prefix was computed inside a longer batch, the fresh session's in a batch of its own
     * length: a multiple of 32, so that no kernel blocking of batch rows (up to 32) tells the
     * two apart, and the logits must then agree to the bit.
     */
    @Test
    void truncateAndReEvaluateGivesTheLogitsOfAFreshSession() {
        int keep = 32;
        int[] suffix = {prompt[40], prompt[41], prompt[42], prompt[43]};
        float[] reused;
        try (ModelSession s = model.newSession(128)) {
            s.eval(prompt);
            s.truncate(keep);
            assertEquals(keep, s.length());
            reused = s.eval(suffix);
            assertEquals(keep + suffix.length, s.length());
        }
        float[] fresh;
        try (ModelSession s = model.newSession(128)) {
            s.eval(Arrays.copyOf(prompt, keep));
            fresh = s.eval(suffix);
        }
        assertArrayEquals(fresh, reused);
    }

    @Test
    void copyFromForksAConversation() {
        try (LocalSession a = model.newSession(128); LocalSession b = model.newSession(64)) {
            a.eval(prompt);
            b.copyFrom(a, 20);
            assertEquals(20, b.length());
            float[] forked = b.eval(new int[] {prompt[20]});
            a.truncate(20);
            float[] original = a.eval(new int[] {prompt[20]});
            assertArrayEquals(original, forked);
            assertThrows(IllegalArgumentException.class, () -> b.copyFrom(a, 22));
        }
    }

    @Test
    void contextOverflowIsAnIllegalStateExceptionNamingTheNumbersAndChangesNothing() {
        try (ModelSession s = model.newSession(8)) {
            s.eval(Arrays.copyOf(prompt, 5));
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> s.eval(Arrays.copyOfRange(prompt, 5, 9)));
            assertTrue(e.getMessage().contains("5") && e.getMessage().contains("4") && e.getMessage().contains("8"), e::getMessage);
            assertEquals(5, s.length());
            assertDoesNotThrow(() -> s.eval(Arrays.copyOfRange(prompt, 5, 8)));
            assertEquals(8, s.length());
            assertThrows(IllegalStateException.class, () -> s.eval(new int[] {1}));
        }
    }

    @Test
    void tokenOutsideTheVocabularyIsAnIllegalArgumentException() {
        try (ModelSession s = model.newSession(16)) {
            int n = s.vocabularySize();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.eval(new int[] {1, n}));
            assertTrue(e.getMessage().contains(Integer.toString(n)), e::getMessage);
            assertThrows(IllegalArgumentException.class, () -> s.eval(new int[] {-1}));
            assertThrows(IllegalArgumentException.class, () -> s.evalAll(new int[] {Integer.MAX_VALUE}));
            assertThrows(IllegalArgumentException.class, () -> s.eval(new int[0]));
            assertThrows(IllegalArgumentException.class, () -> s.truncate(1));
            assertThrows(IllegalArgumentException.class, () -> s.truncate(-1));
            assertEquals(0, s.length());
            assertEquals(n, s.eval(new int[] {n - 1}).length);
        }
    }

    @Test
    void useAfterCloseIsAnIllegalStateExceptionAndCloseIsIdempotent() {
        ModelSession s = model.newSession(16);
        s.eval(new int[] {1, 2, 3});
        s.close();
        assertDoesNotThrow(s::close);
        assertThrows(IllegalStateException.class, () -> s.eval(new int[] {1}));
        assertThrows(IllegalStateException.class, () -> s.evalAll(new int[] {1}));
        assertThrows(IllegalStateException.class, () -> s.truncate(0));
    }

    @Test
    void closingTheModelClosesItsSessions() throws IOException {
        LocalModel m = LocalModel.load(TestModels.require(TestModels.SMOLLM2), 1);
        LocalSession s1 = m.newSession(16);
        LocalSession s2 = m.newSession(16);
        s1.eval(new int[] {1, 2});
        s2.close();
        assertEquals(1, m.openSessions());
        m.close();
        assertTrue(s1.isClosed());
        assertThrows(IllegalStateException.class, () -> s1.eval(new int[] {1}));
        assertThrows(IllegalStateException.class, () -> m.newSession(16));
        assertDoesNotThrow(m::close);
        assertDoesNotThrow(s1::close);
    }

    /** Sessions of one model on four threads at once give the logits they give one at a time. */
    @Test
    void sessionsOfOneModelRunConcurrently() throws Exception {
        int threads = 4;
        int[][] prompts = new int[threads][];
        float[][] serial = new float[threads][];
        for (int t = 0; t < threads; t++) {
            prompts[t] = Arrays.copyOfRange(prompt, t, prompt.length - t);
            try (ModelSession s = model.newSession(128)) {
                s.eval(prompts[t]);
                serial[t] = s.eval(new int[] {prompt[t]});
            }
        }
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        try {
            java.util.List<java.util.concurrent.Future<float[]>> results = new java.util.ArrayList<>();
            java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
            for (int t = 0; t < threads; t++) {
                int i = t;
                results.add(pool.submit(() -> {
                    try (ModelSession s = model.newSession(128)) {
                        start.await();
                        float[] last = null;
                        for (int round = 0; round < 3; round++) {
                            s.truncate(0);
                            s.eval(prompts[i]);
                            last = s.eval(new int[] {prompt[i]});
                        }
                        return last;
                    }
                }));
            }
            start.countDown();
            for (int t = 0; t < threads; t++) {
                assertArrayEquals(serial[t], results.get(t).get(), "session " + t + " on its own thread");
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void badSessionSizesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> model.newSession(0));
        assertThrows(IllegalArgumentException.class, () -> model.newSession(LocalModel.MAX_CONTEXT + 1));
    }

    static double maxAbsDiff(float[] a, float[] b) {
        assertEquals(a.length, b.length);
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }

    static double meanAbsDiff(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += Math.abs(a[i] - b[i]);
        }
        return sum / a.length;
    }

    private static int[] repeat(int[] ids, int n) {
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = ids[i % ids.length];
        }
        return out;
    }
}
