package io.agentcouncil.generation;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The sampler's chain, checked exactly where it is deterministic and statistically where it draws. */
class SamplerTest {

    private static final int DRAWS = 200_000;

    /** Sampling with only the named stage on: no top-k, top-p or min-p unless set. */
    private static GenerationConfig.Builder plain(double temperature) {
        return GenerationConfig.builder().temperature(temperature).topK(0).topP(1).minP(0).seed(1);
    }

    private static float[] logitsOf(double... probabilities) {
        float[] logits = new float[probabilities.length];
        for (int i = 0; i < probabilities.length; i++) {
            logits[i] = (float) Math.log(probabilities[i]);
        }
        return logits;
    }

    private static double[] frequencies(Sampler sampler, float[] logits, int draws) {
        double[] f = new double[logits.length];
        for (int i = 0; i < draws; i++) {
            f[sampler.sample(logits)]++;
        }
        for (int i = 0; i < f.length; i++) {
            f[i] /= draws;
        }
        return f;
    }

    /** Each frequency within 4.5 standard deviations of the expected probability (a false alarm is ~1e-5). */
    private static void assertDistribution(double[] expected, double[] actual, int draws) {
        for (int i = 0; i < expected.length; i++) {
            double sigma = Math.sqrt(Math.max(expected[i] * (1 - expected[i]), 1e-12) / draws);
            double tolerance = Math.max(4.5 * sigma, 1e-9);
            int id = i;
            assertEquals(expected[i], actual[i], tolerance,
                    () -> "token " + id + ": expected " + Arrays.toString(expected) + " got " + Arrays.toString(actual));
        }
    }

    private static float[] randomLogits(Random r, int n) {
        float[] logits = new float[n];
        for (int i = 0; i < n; i++) {
            logits[i] = (float) (r.nextGaussian() * 3);
        }
        return logits;
    }

    @Test
    void greedyPicksTheArgmaxAndTheLowestIdOnTies() {
        Random r = new Random(7);
        Sampler greedy = new Sampler(GenerationConfig.defaults(), 1000, 0);
        for (int row = 0; row < 50; row++) {
            float[] logits = randomLogits(r, 1000);
            int expected = IntStream.range(0, 1000).boxed().max(Comparator.comparingDouble(i -> logits[i])).orElseThrow();
            assertEquals(expected, greedy.sample(logits));
        }
        assertEquals(1, greedy.sample(Arrays.copyOf(new float[] {0, 5, 5, 1}, 1000)));
        assertEquals(2, greedy.sample(Arrays.copyOf(new float[] {0, Float.NaN, 5, 1}, 1000)), "NaN never wins");
    }

    @Test
    void topKOfOneIsGreedyWhateverTheTemperature() {
        Random r = new Random(11);
        Sampler greedy = new Sampler(GenerationConfig.defaults(), 5000, 0);
        for (long seed = 0; seed < 20; seed++) {
            Sampler topOne = new Sampler(plain(1.5).topK(1).build(), 5000, seed);
            for (int row = 0; row < 10; row++) {
                float[] logits = randomLogits(r, 5000);
                assertEquals(greedy.sample(logits), topOne.sample(logits));
            }
        }
    }

    @Test
    void temperatureOneDrawsTheSoftmax() {
        float[] logits = logitsOf(0.1, 0.2, 0.3, 0.4);
        Sampler s = new Sampler(plain(1).build(), 4, 42);
        assertDistribution(new double[] {0.1, 0.2, 0.3, 0.4}, frequencies(s, logits, DRAWS), DRAWS);
    }

    @Test
    void temperatureSharpensAndFlattens() {
        float[] logits = logitsOf(0.1, 0.2, 0.3, 0.4);
        // T = 0.5 squares the probabilities before normalising: 1, 4, 9, 16 over 30.
        Sampler cold = new Sampler(plain(0.5).build(), 4, 3);
        assertDistribution(new double[] {1 / 30.0, 4 / 30.0, 9 / 30.0, 16 / 30.0}, frequencies(cold, logits, DRAWS), DRAWS);
        // T = 2 takes square roots.
        double[] roots = {Math.sqrt(0.1), Math.sqrt(0.2), Math.sqrt(0.3), Math.sqrt(0.4)};
        double sum = Arrays.stream(roots).sum();
        Sampler hot = new Sampler(plain(2).build(), 4, 4);
        assertDistribution(Arrays.stream(roots).map(x -> x / sum).toArray(), frequencies(hot, logits, DRAWS), DRAWS);
    }

    @Test
    void topKKeepsTheKMostLikelyRenormalised() {
        float[] logits = logitsOf(0.1, 0.4, 0.2, 0.3);
        Sampler s = new Sampler(plain(1).topK(2).build(), 4, 5);
        assertDistribution(new double[] {0, 4 / 7.0, 0, 3 / 7.0}, frequencies(s, logits, DRAWS), DRAWS);
    }

    @Test
    void topPKeepsTheSmallestSetReachingP() {
        float[] logits = logitsOf(0.15, 0.5, 0.1, 0.25);
        // 0.5 + 0.25 = 0.75 >= 0.7: two tokens.
        Sampler s = new Sampler(plain(1).topP(0.7).build(), 4, 6);
        assertDistribution(new double[] {0, 0.5 / 0.75, 0, 0.25 / 0.75}, frequencies(s, logits, DRAWS), DRAWS);
        // 0.5 alone is not >= 0.5001; 0.75 is.
        Sampler justOver = new Sampler(plain(1).topP(0.5001).build(), 4, 6);
        assertDistribution(new double[] {0, 0.5 / 0.75, 0, 0.25 / 0.75}, frequencies(justOver, logits, DRAWS), DRAWS);
        // 0.76 needs the third.
        Sampler three = new Sampler(plain(1).topP(0.76).build(), 4, 6);
        assertDistribution(new double[] {0.15 / 0.9, 0.5 / 0.9, 0, 0.25 / 0.9}, frequencies(three, logits, DRAWS), DRAWS);
        // A tiny p still keeps the most likely token.
        Sampler one = new Sampler(plain(1).topP(0.01).build(), 4, 6);
        assertDistribution(new double[] {0, 1, 0, 0}, frequencies(one, logits, 10_000), 10_000);
    }

    @Test
    void topPIsMeasuredOverTheTopKSurvivors() {
        // After top-k = 2 the survivors are 0.5/0.8 = 0.625 and 0.3/0.8 = 0.375; top-p 0.6 keeps only the first.
        float[] logits = logitsOf(0.5, 0.3, 0.2);
        Sampler s = new Sampler(plain(1).topK(2).topP(0.6).build(), 3, 8);
        assertDistribution(new double[] {1, 0, 0}, frequencies(s, logits, 10_000), 10_000);
        // Without top-k, 0.5 < 0.6 so the second one stays.
        Sampler wide = new Sampler(plain(1).topP(0.6).build(), 3, 8);
        assertDistribution(new double[] {0.625, 0.375, 0}, frequencies(wide, logits, DRAWS), DRAWS);
    }

    @Test
    void minPDropsTokensBelowAFractionOfTheBest() {
        float[] logits = logitsOf(0.3, 0.12, 0.5, 0.08);
        // min-p 0.2 of 0.5 = 0.1: 0.08 goes, 0.12 stays.
        Sampler s = new Sampler(plain(1).minP(0.2).build(), 4, 9);
        assertDistribution(new double[] {0.3 / 0.92, 0.12 / 0.92, 0.5 / 0.92, 0}, frequencies(s, logits, DRAWS), DRAWS);
        // 0.7 of 0.5 = 0.35: only the best.
        Sampler strict = new Sampler(plain(1).minP(0.7).build(), 4, 9);
        assertDistribution(new double[] {0, 0, 1, 0}, frequencies(strict, logits, 10_000), 10_000);
    }

    @Test
    void minPIsRelativeToTheBestBeforeTemperature() {
        // As in llama.cpp the temperature comes last: a hot temperature does not let dropped tokens back in.
        float[] logits = logitsOf(0.6, 0.35, 0.05);
        Sampler hot = new Sampler(plain(5).minP(0.1).build(), 3, 10);
        double[] f = frequencies(hot, logits, 20_000);
        assertEquals(0, f[2]);
        assertTrue(f[1] > 0.4, "temperature 5 flattens what is left: " + Arrays.toString(f));
    }

    @Test
    void largeVocabularyTopPMatchesAFullSort() {
        // Many candidates: exercises the growing partial sort and quickselect against the naive answer.
        Random r = new Random(12);
        int n = 20_000;
        for (double p : new double[] {0.5, 0.9, 0.999}) {
            for (int topK : new int[] {0, 40, 5000}) {
                float[] logits = new float[n];
                for (int i = 0; i < n; i++) {
                    logits[i] = (float) (r.nextGaussian() * 1.5); // flat enough that top-p needs hundreds of tokens
                }
                Set<Integer> expected = naiveTopKTopP(logits, topK, p);
                Sampler s = new Sampler(plain(1).topK(topK).topP(p).build(), n, 99);
                Set<Integer> seen = new HashSet<>();
                for (int i = 0; i < 300; i++) {
                    int t = s.sample(logits);
                    assertTrue(expected.contains(t), "p=" + p + " k=" + topK + ": drew " + t + " outside the nucleus of " + expected.size());
                    seen.add(t);
                }
                assertTrue(seen.size() > Math.min(expected.size(), 300) / 4, "draws spread over the nucleus: " + seen.size()
                        + " of " + expected.size());
            }
        }
    }

    private static Set<Integer> naiveTopKTopP(float[] logits, int topK, double p) {
        Integer[] ids = IntStream.range(0, logits.length).boxed().toArray(Integer[]::new);
        Arrays.sort(ids, (a, b) -> logits[a] != logits[b] ? Float.compare(logits[b], logits[a]) : Integer.compare(a, b));
        int k = topK > 0 ? Math.min(topK, ids.length) : ids.length;
        double max = logits[ids[0]];
        double total = 0;
        for (int i = 0; i < k; i++) {
            total += Math.exp(logits[ids[i]] - max);
        }
        Set<Integer> kept = new HashSet<>();
        double cumulative = 0;
        for (int i = 0; i < k; i++) {
            kept.add(ids[i]);
            cumulative += Math.exp(logits[ids[i]] - max);
            if (cumulative >= p * total) {
                break;
            }
        }
        return kept;
    }

    @Test
    void repetitionPenaltyDividesPositiveAndMultipliesNegativeLogitsOnce() {
        GenerationConfig config = GenerationConfig.builder().repetitionPenalty(2).repetitionWindow(4).build();
        Sampler s = new Sampler(config, 6, 0);
        float[] logits = {4, -1, 3, 0.5f, -2, 1};
        s.accept(0);
        s.accept(1);
        s.accept(0); // twice in the window: still penalised once
        float[] p = s.penalized(logits);
        assertArrayEquals(new float[] {2, -2, 3, 0.5f, -2, 1}, p);
        // Greedy now prefers token 2 over the repeated token 0.
        assertEquals(2, s.sample(logits));
        // The window slides: after four more tokens, 0 and 1 are forgotten.
        for (int t : new int[] {5, 5, 5, 5}) {
            s.accept(t);
        }
        assertArrayEquals(new float[] {4, -1, 3, 0.5f, -2, 0.5f}, s.penalized(logits));
        assertEquals(0, s.sample(logits));
    }

    @Test
    void penaltyOfOneOrEmptyWindowChangesNothing() {
        float[] logits = {4, -1, 3};
        Sampler off = new Sampler(GenerationConfig.builder().repetitionPenalty(1).build(), 3, 0);
        off.accept(0);
        assertArrayEquals(logits, off.penalized(logits));
        Sampler noWindow = new Sampler(GenerationConfig.builder().repetitionPenalty(3).repetitionWindow(0).build(), 3, 0);
        noWindow.accept(0);
        assertArrayEquals(logits, noWindow.penalized(logits));
    }

    @Test
    void sameSeedSameDrawsDifferentSeedDifferentDraws() {
        Random r = new Random(13);
        float[][] rows = new float[100][];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = randomLogits(r, 3000);
        }
        GenerationConfig config = GenerationConfig.builder().temperature(1.2).topK(100).topP(0.95).minP(0.01).build();
        int[] a = drawAll(new Sampler(config, 3000, 1234), rows);
        int[] b = drawAll(new Sampler(config, 3000, 1234), rows);
        int[] c = drawAll(new Sampler(config, 3000, 1235), rows);
        assertArrayEquals(a, b);
        assertNotEquals(Arrays.toString(a), Arrays.toString(c));
    }

    private static int[] drawAll(Sampler s, float[][] rows) {
        return Arrays.stream(rows).mapToInt(s::sample).toArray();
    }

    @Test
    void paddedRowsAreReadOnlyUpToTheVocabulary() {
        float[] padded = {1, 2, 3, 50}; // the output layer has a fourth row the tokenizer does not know
        assertEquals(2, new Sampler(GenerationConfig.defaults(), 3, 0).sample(padded));
        Sampler s = new Sampler(plain(1).build(), 3, 0);
        for (int i = 0; i < 1000; i++) {
            assertTrue(s.sample(padded) < 3);
        }
        assertThrows(IllegalArgumentException.class, () -> s.sample(new float[2]));
    }

    @Test
    void theCallersLogitsAreNotTouched() {
        float[] logits = {4, -1, 3, 0.5f};
        float[] copy = logits.clone();
        Sampler s = new Sampler(plain(0.8).topK(2).topP(0.9).repetitionPenalty(1.5).build(), 4, 0);
        s.accept(0);
        s.sample(logits);
        assertArrayEquals(copy, logits);
    }

    @Test
    void configRejectsNonsense() {
        assertThrows(IllegalArgumentException.class, () -> GenerationConfig.builder().temperature(-1).build());
        assertThrows(IllegalArgumentException.class, () -> GenerationConfig.builder().topP(0).build());
        assertThrows(IllegalArgumentException.class, () -> GenerationConfig.builder().topP(1.1).build());
        assertThrows(IllegalArgumentException.class, () -> GenerationConfig.builder().minP(1).build());
        assertThrows(IllegalArgumentException.class, () -> GenerationConfig.builder().topK(-1).build());
        assertThrows(IllegalArgumentException.class, () -> GenerationConfig.builder().repetitionPenalty(0).build());
        assertThrows(IllegalArgumentException.class, () -> GenerationConfig.builder().maxNewTokens(-1).build());
        assertThrows(IllegalArgumentException.class, () -> GenerationConfig.builder().stopStrings("").build());
        GenerationConfig d = GenerationConfig.defaults();
        assertEquals(160, d.maxNewTokens());
        assertEquals(5, d.topLogprobs());
        assertTrue(d.isGreedy());
        assertTrue(d.seed().isEmpty());
        assertEquals(d, d.toBuilder().build());
    }
}
