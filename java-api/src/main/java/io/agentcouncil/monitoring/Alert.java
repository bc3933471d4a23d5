package io.agentcouncil.monitoring;

/**
 * The four alerts of the product's checklist, each with the name its Prometheus rule has in
 * {@code monitoring/alerts.yml} and the message a notification carries.
 */
public enum Alert {
    /** {@code gpu_utilization} below 20 % for 3 minutes; only where a GPU backend runs. */
    GPU_FELL_TO_CPU("GpuFellToCpu", "Model fell to CPU"),
    /** Agent-0's latency p95 above 400 ms. */
    AGENT0_SLOW("Agent0Slow", "Performance degradation"),
    /** The day's cloud demand (spend plus the calls the budget refused) above the daily budget. */
    BUDGET_BREACH("BudgetBreach", "Budget breach"),
    /** {@code scratchpad_entries_queue} above 1,000. */
    FLUSH_STUCK("FlushStuck", "Flush thread stuck");

    private final String ruleName;
    private final String message;

    Alert(String ruleName, String message) {
        this.ruleName = ruleName;
        this.message = message;
    }

    /** The {@code alert:} name of the equivalent Prometheus rule. */
    public String ruleName() {
        return ruleName;
    }

    public String message() {
        return message;
    }
}
