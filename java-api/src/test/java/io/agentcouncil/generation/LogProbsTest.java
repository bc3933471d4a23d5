package io.agentcouncil.generation;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Random;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LogProbsTest {

    @Test
    void logSoftmaxExponentiatesToOneOverTheVocabulary() {
        Random r = new Random(3);
        for (double scale : new double[] {0.1, 3, 30, 300}) {
            float[] logits = new float[49_152];
            for (int i = 0; i < logits.length; i++) {
                logits[i] = (float) (r.nextGaussian() * scale + 1000); // a large offset must not overflow
            }
            float[] lp = new float[logits.length];
            LogProbs.logSoftmax(logits, lp);
            double sum = 0;
            for (float v : lp) {
                assertTrue(v <= 0);
                sum += Math.exp(v);
            }
            assertEquals(1.0, sum, 1e-4, "scale " + scale);
        }
    }

    @Test
    void impossibleTokensHaveMinusInfinity() {
        float[] lp = new float[4];
        LogProbs.logSoftmax(new float[] {0, Float.NEGATIVE_INFINITY, Float.NaN, 0}, lp);
        assertArrayEquals(new float[] {(float) -Math.log(2), Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY, (float) -Math.log(2)}, lp);
    }

    @Test
    void topNMatchesASortBestFirstLowerIdOnTies() {
        Random r = new Random(5);
        float[] logits = new float[10_000];
        for (int i = 0; i < logits.length; i++) {
            logits[i] = r.nextInt(2000) / 10f; // plenty of ties
        }
        for (int n : new int[] {0, 1, 5, 20}) {
            int[] ids = new int[n];
            assertEquals(n, LogProbs.topN(logits, ids));
            int[] expected = IntStream.range(0, logits.length).boxed()
                    .sorted(Comparator.<Integer>comparingDouble(i -> -logits[i]).thenComparingInt(i -> i))
                    .limit(n).mapToInt(Integer::intValue).toArray();
            assertArrayEquals(expected, ids);
        }
        int[] more = new int[8];
        assertEquals(3, LogProbs.topN(new float[] {1, 3, 2}, more));
        assertArrayEquals(new int[] {1, 2, 0}, Arrays.copyOf(more, 3));
        assertEquals(2, LogProbs.topN(new float[] {1, 3, 2, 99}, 3, new int[2]));
    }
}
