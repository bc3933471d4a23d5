package io.agentcouncil.monitoring;

import java.time.Instant;
import java.util.Objects;

/**
 * A notification: an alert started firing, or resolved.
 *
 * @param state {@link AlertState#FIRING} or {@link AlertState#RESOLVED}
 * @param value the rule's value at the evaluation that changed the state
 * @param at    that evaluation's time
 */
public record AlertEvent(AlertRule rule, AlertState state, double value, Instant at) {

    public AlertEvent {
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(at, "at");
        if (state != AlertState.FIRING && state != AlertState.RESOLVED) {
            throw new IllegalArgumentException("an event is FIRING or RESOLVED, got " + state);
        }
    }

    public Alert alert() {
        return rule.alert();
    }

    /** One line for a human: "[FIRING] Flush thread stuck (FlushStuck): 1203 > 1000". */
    public String text() {
        Alert a = rule.alert();
        return "[" + state + "] " + a.message() + " (" + a.ruleName() + "): "
                + (state == AlertState.FIRING ? rule.describe(value) : "back to " + AlertRule.format(value));
    }
}
