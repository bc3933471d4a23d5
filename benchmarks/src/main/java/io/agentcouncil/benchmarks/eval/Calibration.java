package io.agentcouncil.benchmarks.eval;

import java.util.Arrays;
import java.util.Comparator;

/**
 * How well scores in [0, 1] predict a yes/no outcome ("the answer is correct"): ranking
 * (AUROC) and calibration (expected calibration error, Brier score).
 */
public final class Calibration {

    /** Equal-width bins of the expected calibration error. */
    public static final int ECE_BINS = 10;

    private Calibration() {}

    /**
     * The area under the ROC curve: the probability that a random correct answer scores higher
     * than a random wrong one, ties counting half. Computed with the rank formula (Mann-Whitney
     * U over mid-ranks), {@code (R+ - n+(n+ + 1)/2) / (n+ n-)}. NaN when either class is empty.
     */
    public static double auroc(double[] scores, boolean[] positive) {
        int n = check(scores, positive);
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingDouble(i -> scores[i]));
        double positiveRanks = 0;
        long nPos = 0;
        for (int start = 0; start < n; ) {
            int end = start;
            while (end + 1 < n && scores[order[end + 1]] == scores[order[start]]) {
                end++;
            }
            double midRank = (start + end) / 2.0 + 1; // ranks are 1-based; a tie group shares its mean rank
            for (int k = start; k <= end; k++) {
                if (positive[order[k]]) {
                    positiveRanks += midRank;
                    nPos++;
                }
            }
            start = end + 1;
        }
        long nNeg = n - nPos;
        if (nPos == 0 || nNeg == 0) {
            return Double.NaN;
        }
        return (positiveRanks - nPos * (nPos + 1) / 2.0) / ((double) nPos * nNeg);
    }

    /**
     * The expected calibration error over {@link #ECE_BINS} equal-width bins: the mean over
     * items of |accuracy - mean score| of their bin, i.e. {@code sum_b (n_b / n) |acc_b - conf_b|}.
     * A score of exactly 1 falls in the top bin. 0 for no items.
     */
    public static double ece(double[] scores, boolean[] positive) {
        int n = check(scores, positive);
        if (n == 0) {
            return 0;
        }
        double[] scoreSum = new double[ECE_BINS];
        double[] hits = new double[ECE_BINS];
        for (int i = 0; i < n; i++) {
            int bin = Math.min(ECE_BINS - 1, Math.max(0, (int) (scores[i] * ECE_BINS)));
            scoreSum[bin] += scores[i];
            hits[bin] += positive[i] ? 1 : 0;
        }
        double sum = 0;
        for (int b = 0; b < ECE_BINS; b++) {
            sum += Math.abs(hits[b] - scoreSum[b]); // n_b * |acc_b - conf_b|
        }
        return sum / n;
    }

    /** The mean squared difference between score and outcome (1 correct, 0 wrong); 0 for no items. */
    public static double brier(double[] scores, boolean[] positive) {
        int n = check(scores, positive);
        double sum = 0;
        for (int i = 0; i < n; i++) {
            double d = scores[i] - (positive[i] ? 1 : 0);
            sum += d * d;
        }
        return n == 0 ? 0 : sum / n;
    }

    private static int check(double[] scores, boolean[] positive) {
        if (scores.length != positive.length) {
            throw new IllegalArgumentException(scores.length + " scores but " + positive.length + " labels");
        }
        return scores.length;
    }
}
