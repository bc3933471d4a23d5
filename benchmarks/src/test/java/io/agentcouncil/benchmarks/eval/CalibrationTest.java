package io.agentcouncil.benchmarks.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentcouncil.confidence.TokenProbabilityEstimator;
import io.agentcouncil.generation.GeneratedToken;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CalibrationTest {

    @Test
    void aurocIsOneForAPerfectRankingZeroForAReversedOneAndHalfForTies() {
        boolean[] y = {false, false, true, true};
        assertEquals(1.0, Calibration.auroc(new double[] {0.1, 0.2, 0.3, 0.4}, y));
        assertEquals(0.0, Calibration.auroc(new double[] {0.4, 0.3, 0.2, 0.1}, y));
        assertEquals(0.5, Calibration.auroc(new double[] {0.5, 0.5, 0.5, 0.5}, y));
        assertTrue(Double.isNaN(Calibration.auroc(new double[] {0.1, 0.2}, new boolean[] {true, true})));
    }

    @Test
    void aurocEqualsThePairwiseCountWithTiesHalf() {
        Random r = new Random(3);
        for (int trial = 0; trial < 20; trial++) {
            int n = 5 + r.nextInt(40);
            double[] s = new double[n];
            boolean[] y = new boolean[n];
            for (int i = 0; i < n; i++) {
                s[i] = r.nextInt(6) / 5.0; // few distinct values: many ties
                y[i] = r.nextBoolean();
            }
            double wins = 0;
            int pairs = 0;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    if (y[i] && !y[j]) {
                        pairs++;
                        wins += s[i] > s[j] ? 1 : s[i] == s[j] ? 0.5 : 0;
                    }
                }
            }
            double expected = pairs == 0 ? Double.NaN : wins / pairs;
            assertEquals(expected, Calibration.auroc(s, y), 1e-12);
        }
    }

    @Test
    void eceIsTheWeightedGapBetweenAccuracyAndConfidencePerBin() {
        // Bin [0.9, 1]: scores 0.9 and 1.0 (mean 0.95), one right: gap 0.45, weight 2/4.
        // Bin [0.2, 0.3): scores 0.2 and 0.2, none right: gap 0.2, weight 2/4.
        double[] s = {0.9, 1.0, 0.2, 0.2};
        boolean[] y = {true, false, false, false};
        assertEquals(0.5 * 0.45 + 0.5 * 0.2, Calibration.ece(s, y), 1e-12);
        assertEquals(0.0, Calibration.ece(new double[] {1, 1, 0, 0}, new boolean[] {true, true, false, false}));
        assertEquals((0.01 + 1 + 0.04 + 0.04) / 4, Calibration.brier(s, y), 1e-12);
    }

    @Test
    void plattScalingRecoversTheParametersThatGeneratedTheOutcomes() {
        Random r = new Random(11);
        int n = 20000;
        double[] raw = new double[n];
        boolean[] y = new boolean[n];
        for (int i = 0; i < n; i++) {
            raw[i] = 0.02 + 0.96 * r.nextDouble();
            double p = 1 / (1 + Math.exp(-(2.0 * PlattScaling.logit(raw[i]) - 1.0)));
            y[i] = r.nextDouble() < p;
        }
        PlattScaling fit = PlattScaling.fit(raw, y);
        assertEquals(2.0, fit.a(), 0.1);
        assertEquals(-1.0, fit.b(), 0.1);
    }

    @Test
    void plattScalingStaysFiniteOnSeparableData() {
        PlattScaling fit = PlattScaling.fit(new double[] {0.1, 0.2, 0.8, 0.9}, new boolean[] {false, false, true, true});
        assertTrue(Double.isFinite(fit.a()) && Double.isFinite(fit.b()), fit.toString());
        assertTrue(fit.a() > 0, fit.toString());
        assertTrue(fit.apply(0.9) > fit.apply(0.1));
    }

    @Test
    void aFittedPairMeansTheSameInTheShippedEstimator() {
        PlattScaling platt = new PlattScaling(1.7, -0.4);
        TokenProbabilityEstimator shipped = TokenProbabilityEstimator.quantile(0.1).calibrated(platt.a(), platt.b());
        for (float logprob : new float[] {0f, -1e-12f, -0.01f, -0.7f, -5f, -30f}) {
            List<GeneratedToken> tokens = List.of(new GeneratedToken(1, "x", logprob, List.of()));
            double raw = TokenProbabilityEstimator.quantile(0.1).raw(tokens);
            assertEquals(shipped.estimate(tokens), platt.apply(raw), 1e-12, "logprob " + logprob);
        }
    }
}
