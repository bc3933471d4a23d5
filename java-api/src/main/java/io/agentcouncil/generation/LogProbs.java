package io.agentcouncil.generation;

/**
 * Log-probabilities from raw logits: the log-softmax over the whole vocabulary, before any
 * sampling transform (no penalty, temperature, top-k/p or min-p), so they say what the model
 * itself believes and are comparable across sampling settings. NaN logits count as impossible.
 * Sums are taken in double precision.
 */
public final class LogProbs {

    private LogProbs() {}

    /** {@code log(sum(exp(logits)))}, computed stably; log-probability of token i = logits[i] minus this. */
    public static double logNormalizer(float[] logits) {
        float max = Float.NEGATIVE_INFINITY;
        for (float v : logits) {
            if (v > max) {
                max = v;
            }
        }
        if (max == Float.NEGATIVE_INFINITY) {
            return Double.NEGATIVE_INFINITY;
        }
        if (max == Float.POSITIVE_INFINITY) {
            return Double.POSITIVE_INFINITY;
        }
        double sum = 0;
        for (float v : logits) {
            if (v == v) {
                sum += Math.exp((double) v - max);
            }
        }
        return max + Math.log(sum);
    }

    /** The log-probability of {@code logit} under the normalizer of its row. */
    public static float logProb(float logit, double logNormalizer) {
        if (logit != logit) {
            return Float.NEGATIVE_INFINITY;
        }
        return (float) Math.min(0.0, logit - logNormalizer);
    }

    /** Writes the log-softmax of {@code logits} into {@code out} (the same length; may be the same array). */
    public static void logSoftmax(float[] logits, float[] out) {
        if (out.length != logits.length) {
            throw new IllegalArgumentException("out has " + out.length + " entries for " + logits.length + " logits");
        }
        double z = logNormalizer(logits);
        for (int i = 0; i < logits.length; i++) {
            out[i] = logProb(logits[i], z);
        }
    }

    /**
     * The ids of the {@code ids.length} highest logits, best first (ties: lower id first), in
     * {@code ids}; returns how many were written (fewer when the vocabulary is smaller). One pass,
     * no allocation: O(vocabulary) for the few alternatives reported per token.
     */
    public static int topN(float[] logits, int[] ids) {
        return topN(logits, logits.length, ids);
    }

    /** As {@link #topN(float[], int[])} over {@code logits[0, length)} only. */
    public static int topN(float[] logits, int length, int[] ids) {
        int n = Math.min(ids.length, length);
        int count = 0;
        for (int i = 0; i < length; i++) {
            float v = logits[i];
            if (v != v) {
                continue;
            }
            if (count == n) {
                if (n == 0 || !(v > logits[ids[n - 1]])) {
                    continue; // not better than the worst kept (an equal logit keeps the lower id)
                }
                count--;
            }
            int j = count - 1;
            while (j >= 0 && v > logits[ids[j]]) {
                ids[j + 1] = ids[j];
                j--;
            }
            ids[j + 1] = i;
            count++;
        }
        return count;
    }
}
