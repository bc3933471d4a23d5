package io.agentcouncil.monitoring;

/** Where an alert stands after its last evaluation. */
public enum AlertState {
    /** The rule does not apply here (the GPU rule where no GPU backend runs, the budget rule without a cloud tier). */
    INACTIVE,
    /** The condition is false and the alert has not fired since it last became true. */
    OK,
    /** The condition is true, not yet for the rule's duration. */
    PENDING,
    /** The condition has been true for the rule's duration; a notification went to the sinks. */
    FIRING,
    /** The condition turned false after firing; a notification went to the sinks. */
    RESOLVED
}
