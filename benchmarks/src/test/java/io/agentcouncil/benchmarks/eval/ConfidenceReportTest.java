package io.agentcouncil.benchmarks.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.agentcouncil.benchmarks.eval.ConfidenceReport.EarlyDecision;
import io.agentcouncil.benchmarks.eval.ConfidenceReport.EstimatorSummary;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfidenceReportTest {

    private static EvalRow row(String kind, boolean correct, double full, double early, int tokens, double ms, double msAtK) {
        return new EvalRow("r", kind, "1", "1", correct, "EOS", tokens, ms, new double[] {msAtK},
                Map.of("s", full), Map.of("s", new double[] {early}), new float[tokens]);
    }

    @Test
    void countsAgreementAndSavingsOfDecidingEarly() {
        List<EvalRow> rows = List.of(
                row("a", true, 0.9, 0.9, 20, 200, 40), // keep, keep
                row("a", false, 0.3, 0.5, 20, 200, 40), // escalate, escalate: saves 16 tokens, 160 ms
                row("b", true, 0.9, 0.2, 10, 100, 40), // early escalates, full would keep: saves 6, 60 ms
                row("b", false, 0.3, 0.9, 3, 30, 30)); // early keeps, full escalates; 3 tokens: nothing to save
        ConfidenceReport r = ConfidenceReport.of(rows, List.of("s"), new int[] {4}, 0.65, 1);
        EarlyDecision d = r.decideEarly().get(0);
        assertEquals(0.5, d.agreement());
        assertEquals(1, d.escalateEarlyOnly());
        assertEquals(1, d.escalateLateOnly());
        assertEquals(0.5, d.escalatedEarly());
        assertEquals(22, d.tokensSaved());
        assertEquals(22.0 / 53, d.tokensSavedFraction(), 1e-12);
        assertEquals(220, d.msSaved(), 1e-9);

        EstimatorSummary s = r.estimators().get(0);
        assertEquals(1.0, s.auroc());
        assertEquals(0.5, s.escalated());
        assertEquals(1.0, s.accuracyKept());
        assertEquals(0.5, r.accuracy());
        assertEquals(Map.of("a", 0.5, "b", 0.5), r.accuracyByKind());
        assertEquals(2, r.trainSize());
    }

    @Test
    void theTrainingHalfIsHalfOfEachKind() {
        List<EvalRow> rows = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            rows.add(row(i < 10 ? "a" : "b", i % 2 == 0, 0.5, 0.5, 1, 1, 1));
        }
        boolean[] train = ConfidenceReport.trainHalf(rows, 9);
        int a = 0, b = 0;
        for (int i = 0; i < train.length; i++) {
            if (train[i]) {
                if (i < 10) {
                    a++;
                } else {
                    b++;
                }
            }
        }
        assertEquals(5, a);
        assertEquals(10, b);
    }
}
