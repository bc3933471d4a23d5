package io.agentcouncil.confidence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentcouncil.generation.GeneratedToken;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TokenProbabilityEstimatorTest {

    private static List<GeneratedToken> tokens(double... probabilities) {
        List<GeneratedToken> out = new ArrayList<>();
        for (double p : probabilities) {
            out.add(new GeneratedToken(1, "x", (float) Math.log(p), List.of()));
        }
        return out;
    }

    @Test
    void minimumAndLowQuantile() {
        List<GeneratedToken> t = tokens(0.9, 0.2, 0.99, 0.5, 0.95, 0.97, 0.98, 0.96, 0.94, 0.93, 0.92, 0.91);
        assertEquals(0.2, TokenProbabilityEstimator.defaults().estimate(t), 1e-6);
        // 12 tokens: the 0.1-quantile is the 2nd smallest (ceil(1.2) = 2).
        assertEquals(0.5, TokenProbabilityEstimator.quantile(0.1).estimate(t), 1e-6);
        assertEquals(0.9, TokenProbabilityEstimator.quantile(0.25).estimate(t), 1e-6);
    }

    @Test
    void notLengthBiased() {
        // One guess among many sure tokens keeps the score low, however long the answer.
        TokenProbabilityEstimator min = TokenProbabilityEstimator.quantile(0);
        double[] longAnswer = new double[200];
        java.util.Arrays.fill(longAnswer, 0.99);
        longAnswer[100] = 0.1;
        assertEquals(0.1, min.estimate(tokens(longAnswer)), 1e-6);
        assertEquals(0.1, min.estimate(tokens(0.99, 0.1)), 1e-6);
    }

    @Test
    void calibrationIsAMonotoneSigmoidOfTheLogit() {
        TokenProbabilityEstimator identity = TokenProbabilityEstimator.defaults();
        TokenProbabilityEstimator cal = identity.calibrated(2, -1);
        double raw = 0.7;
        double expected = 1 / (1 + Math.exp(-(2 * Math.log(raw / (1 - raw)) - 1)));
        assertEquals(expected, cal.estimate(tokens(raw)), 1e-6); // the logprob is a float
        assertTrue(cal.estimate(tokens(0.8)) > cal.estimate(tokens(0.6)));
        assertEquals(0, identity.estimate(List.of()));
    }

    @Test
    void badParameters() {
        assertThrows(IllegalArgumentException.class, () -> TokenProbabilityEstimator.quantile(1.5));
        assertThrows(IllegalArgumentException.class, () -> TokenProbabilityEstimator.defaults().calibrated(Double.NaN, 0));
    }
}
