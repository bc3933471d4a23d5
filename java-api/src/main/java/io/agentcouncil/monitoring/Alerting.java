package io.agentcouncil.monitoring;

import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * How the four alerts are evaluated and where their notifications go; immutable, made by
 * {@link #builder()}. The defaults are the product's checklist:
 *
 * <table>
 * <caption>Default rules</caption>
 * <tr><th>alert</th><th>fires when</th></tr>
 * <tr><td>{@link Alert#GPU_FELL_TO_CPU}</td><td>{@code gpu_utilization < 20} for 3 minutes</td></tr>
 * <tr><td>{@link Alert#AGENT0_SLOW}</td><td>Agent-0's latency p95 over the last 5 minutes &gt; 400 ms</td></tr>
 * <tr><td>{@link Alert#BUDGET_BREACH}</td><td>the day's cloud spend plus the calls refused for the budget &gt; the daily budget</td></tr>
 * <tr><td>{@link Alert#FLUSH_STUCK}</td><td>{@code scratchpad_entries_queue > 1000}</td></tr>
 * </table>
 *
 * <p>Rules are evaluated every 30 s. Notifications go to the log, and to Slack when the
 * environment has {@code SLACK_WEBHOOK_URL}; {@link Builder#sinks} replaces both.
 */
public final class Alerting {

    /** The environment variable the default Slack sink reads its webhook URL from. */
    public static final String SLACK_WEBHOOK_ENV = "SLACK_WEBHOOK_URL";

    private final Duration evaluationInterval;
    private final Duration agent0LatencyWindow;
    private final Map<Alert, AlertRule> rules;
    private final List<AlertSink> sinks;
    private final Clock clock;

    private Alerting(Builder b) {
        evaluationInterval = b.evaluationInterval;
        agent0LatencyWindow = b.agent0LatencyWindow;
        rules = Map.copyOf(b.rules);
        sinks = b.sinks != null ? List.copyOf(b.sinks) : null;
        clock = b.clock;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The defaults; see the class comment. */
    public static Alerting defaults() {
        return builder().build();
    }

    /**
     * The sinks given to {@link Builder#sinks}, or else new default ones (the log, and Slack when
     * {@code SLACK_WEBHOOK_URL} is set) counting into {@code registry}; the caller closes those.
     */
    public List<AlertSink> sinksOrDefaults(MeterRegistry registry) {
        if (sinks != null) {
            return sinks;
        }
        List<AlertSink> defaults = new ArrayList<>(List.of(AlertSink.log()));
        String url = System.getenv(SLACK_WEBHOOK_ENV);
        if (url != null && !url.isBlank()) {
            URI webhook;
            try {
                webhook = new URI(url.strip());
            } catch (java.net.URISyntaxException e) {
                // Not the value itself: it is a secret.
                throw new IllegalArgumentException(SLACK_WEBHOOK_ENV + " is not a valid URL: " + e.getReason());
            }
            defaults.add(SlackAlertSink.builder(webhook).meterRegistry(registry).build());
        }
        return defaults;
    }

    /** Whether {@link #sinksOrDefaults} makes new sinks rather than returning the user's. */
    public boolean defaultSinks() {
        return sinks == null;
    }

    public Duration evaluationInterval() {
        return evaluationInterval;
    }

    /** The span Agent-0's latency p95 is taken over. */
    public Duration agent0LatencyWindow() {
        return agent0LatencyWindow;
    }

    public AlertRule rule(Alert alert) {
        return rules.get(alert);
    }

    public Clock clock() {
        return clock;
    }

    public static final class Builder {
        private Duration evaluationInterval = Duration.ofSeconds(30);
        private Duration agent0LatencyWindow = Duration.ofMinutes(5);
        private final Map<Alert, AlertRule> rules = new EnumMap<>(Alert.class);
        private List<AlertSink> sinks;
        private Clock clock = Clock.systemUTC();
        private final List<String> problems = new ArrayList<>();

        private Builder() {
            rules.put(Alert.GPU_FELL_TO_CPU, new AlertRule(Alert.GPU_FELL_TO_CPU, false, 20, Duration.ofMinutes(3)));
            rules.put(Alert.AGENT0_SLOW, new AlertRule(Alert.AGENT0_SLOW, true, 0.400, Duration.ZERO));
            rules.put(Alert.BUDGET_BREACH, new AlertRule(Alert.BUDGET_BREACH, true, 0, Duration.ZERO));
            rules.put(Alert.FLUSH_STUCK, new AlertRule(Alert.FLUSH_STUCK, true, 1000, Duration.ZERO));
        }

        public Builder evaluationInterval(Duration interval) {
            evaluationInterval = interval;
            return this;
        }

        /** GPU alert: utilization (percent) below {@code percent} for {@code forDuration}. */
        public Builder gpuUtilizationBelow(double percent, Duration forDuration) {
            return rule(Alert.GPU_FELL_TO_CPU, false, percent, forDuration);
        }

        /** Agent-0 alert: its latency p95 above {@code p95} for {@code forDuration}. */
        public Builder agent0LatencyAbove(Duration p95, Duration forDuration) {
            return rule(Alert.AGENT0_SLOW, true, p95 == null ? Double.NaN : p95.toNanos() / 1e9, forDuration);
        }

        /** The span the p95 is taken over (default 5 minutes, as the Prometheus rule's {@code [5m]}). */
        public Builder agent0LatencyWindow(Duration window) {
            agent0LatencyWindow = window;
            return this;
        }

        /**
         * Budget alert: how long the day's demand must stay above the cloud tier's daily budget
         * (the threshold is that budget).
         */
        public Builder budgetBreachFor(Duration forDuration) {
            return rule(Alert.BUDGET_BREACH, true, 0, forDuration);
        }

        /** Flush alert: the write-behind queue deeper than {@code entries} for {@code forDuration}. */
        public Builder flushQueueAbove(int entries, Duration forDuration) {
            return rule(Alert.FLUSH_STUCK, true, entries, forDuration);
        }

        /** Where notifications go, replacing the default log (and Slack) sinks. */
        public Builder sinks(List<AlertSink> sinks) {
            this.sinks = sinks == null ? null : new ArrayList<>(sinks);
            return this;
        }

        public Builder sinks(AlertSink... sinks) {
            return sinks(List.of(sinks));
        }

        /** The clock of "for" durations and events (tests move it). */
        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        private Builder rule(Alert alert, boolean above, double threshold, Duration forDuration) {
            try {
                rules.put(alert, new AlertRule(alert, above, threshold, forDuration));
            } catch (RuntimeException e) {
                problems.add(alert + ": " + (e.getMessage() != null ? e.getMessage() : "duration must not be null"));
            }
            return this;
        }

        /** Every bad field, empty when {@link #build()} would succeed. */
        public List<String> problems() {
            List<String> p = new ArrayList<>(problems);
            if (evaluationInterval == null || evaluationInterval.isNegative() || evaluationInterval.isZero()) {
                p.add("alert evaluationInterval must be > 0, got " + evaluationInterval);
            }
            if (agent0LatencyWindow == null || agent0LatencyWindow.toMillis() < 1) {
                p.add("agent0LatencyWindow must be at least 1 ms, got " + agent0LatencyWindow);
            }
            if (rules.get(Alert.FLUSH_STUCK).threshold() < 0) {
                p.add("flushQueueAbove must be >= 0, got " + AlertRule.format(rules.get(Alert.FLUSH_STUCK).threshold()));
            }
            if (rules.get(Alert.AGENT0_SLOW).threshold() <= 0) {
                p.add("agent0LatencyAbove must be > 0");
            }
            if (sinks != null && sinks.contains(null)) {
                p.add("sinks must not contain null");
            }
            if (clock == null) {
                p.add("clock must not be null");
            }
            return p;
        }

        /** @throws IllegalArgumentException naming every bad field */
        public Alerting build() {
            List<String> p = problems();
            if (!p.isEmpty()) {
                throw new IllegalArgumentException("invalid alerting configuration: " + String.join("; ", p));
            }
            return new Alerting(this);
        }
    }

    @Override
    public String toString() {
        return "Alerting[every " + evaluationInterval + ", " + rules.values() + ", sinks " + sinks + "]";
    }
}
