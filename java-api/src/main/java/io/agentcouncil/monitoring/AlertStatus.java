package io.agentcouncil.monitoring;

import java.time.Instant;
import java.util.Objects;

/**
 * One alert as its last evaluation left it.
 *
 * @param value the rule's value at that evaluation (NaN when there was no data or the rule is inactive)
 * @param since when the alert entered {@code state}
 */
public record AlertStatus(AlertRule rule, AlertState state, double value, Instant since) {

    public AlertStatus {
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(since, "since");
    }

    public Alert alert() {
        return rule.alert();
    }
}
