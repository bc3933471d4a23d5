package io.agentcouncil.monitoring;

import java.time.Duration;
import java.util.Objects;

/**
 * When an alert fires: its value on the {@link #above} side of {@code threshold}, continuously
 * for {@code forDuration} (zero: at the first evaluation that sees it), like a Prometheus rule's
 * {@code for:}.
 */
public record AlertRule(Alert alert, boolean above, double threshold, Duration forDuration) {

    public AlertRule {
        Objects.requireNonNull(alert, "alert");
        Objects.requireNonNull(forDuration, "forDuration");
        if (!Double.isFinite(threshold)) {
            throw new IllegalArgumentException(alert + ": threshold must be finite, got " + threshold);
        }
        if (forDuration.isNegative()) {
            throw new IllegalArgumentException(alert + ": duration must be >= 0, got " + forDuration);
        }
    }

    /** This rule with another threshold (the budget rule's is the cloud tier's budget). */
    public AlertRule withThreshold(double threshold) {
        return new AlertRule(alert, above, threshold, forDuration);
    }

    /** Whether {@code value} breaches the threshold; never for NaN, the value of "no data yet". */
    public boolean breachedBy(double value) {
        return above ? value > threshold : value < threshold;
    }

    /** "value > threshold", for messages. */
    String describe(double value) {
        return format(value) + (above ? " > " : " < ") + format(threshold);
    }

    static String format(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : String.format(java.util.Locale.ROOT, "%.4g", v);
    }
}
