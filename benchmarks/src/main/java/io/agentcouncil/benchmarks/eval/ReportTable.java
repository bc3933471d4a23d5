package io.agentcouncil.benchmarks.eval;

import io.agentcouncil.benchmarks.eval.ConfidenceReport.EarlyDecision;
import io.agentcouncil.benchmarks.eval.ConfidenceReport.EstimatorSummary;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Prints a {@link ConfidenceReport} as plain-text tables. */
final class ReportTable {

    private ReportTable() {}

    static void print(ConfidenceReport r, PrintStream out) {
        out.printf(Locale.ROOT, "questions %d, accuracy %.3f (", r.n(), r.accuracy());
        String sep = "";
        for (Map.Entry<String, Double> e : r.accuracyByKind().entrySet()) {
            out.printf(Locale.ROOT, "%s%s %.3f", sep, e.getKey(), e.getValue());
            sep = ", ";
        }
        out.printf(Locale.ROOT, "); gate %.2f; Platt fitted on %d, measured on %d held out%n%n", r.gate(),
                r.trainSize(), r.testSize());

        out.println("estimator   AUROC  ECE-all  Brier  esc@gate  acc-kept |  Platt a      b  ECE-test raw  ECE-test Platt  esc@gate Platt");
        for (EstimatorSummary e : r.estimators()) {
            out.printf(Locale.ROOT, "%-10s  %5.3f  %7.3f  %5.3f  %8.3f  %8.3f | %8.3f %6.3f  %12.3f  %14.3f  %14.3f%n",
                    e.name(), e.auroc(), e.eceRaw(), e.brierRaw(), e.escalated(), e.accuracyKept(), e.platt().a(),
                    e.platt().b(), e.eceRawTest(), e.ecePlattTest(), e.escalatedPlattTest());
        }

        List<String> kinds = List.copyOf(r.estimators().get(0).aurocByKind().keySet());
        out.printf("%nAUROC within each kind%nestimator ");
        for (String kind : kinds) {
            out.printf(Locale.ROOT, " %10s", kind);
        }
        out.println();
        for (EstimatorSummary e : r.estimators()) {
            out.printf(Locale.ROOT, "%-10s", e.name());
            for (String kind : kinds) {
                out.printf(Locale.ROOT, " %10.3f", e.aurocByKind().get(kind));
            }
            out.println();
        }

        out.printf("%nDecide early: escalate if the raw score of the first K tokens is below the gate, against the whole answer%n");
        out.println("estimator    K  agree  esc-early-only  esc-late-only  esc-early  tokens saved        ms saved  AUROC(K)");
        for (EarlyDecision d : r.decideEarly()) {
            out.printf(Locale.ROOT, "%-10s  %3d  %5.3f  %14d  %13d  %9.3f  %6d (%4.1f%%)  %7.0f (%4.1f%%)  %8.3f%n",
                    d.estimator(), d.k(), d.agreement(), d.escalateEarlyOnly(), d.escalateLateOnly(),
                    d.escalatedEarly(), d.tokensSaved(), 100 * d.tokensSavedFraction(), d.msSaved(),
                    100 * d.msSavedFraction(), d.auroc());
        }
        EstimatorSummary best = r.bestByAuroc();
        out.printf(Locale.ROOT, "%nbest raw estimator by AUROC: %s (%.3f)%n", best.name(), best.auroc());
    }
}
