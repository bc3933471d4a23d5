package io.agentcouncil;

import io.agentcouncil.cloud.CloudFallback;
import io.agentcouncil.generation.GenerationTimings;
import io.agentcouncil.monitoring.GpuMonitor;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The council's meters, under the Prometheus names of DESIGN.md: requests by route
 * ({@code agentcouncil_requests_total}), escalations by target
 * ({@code agentcouncil_escalations_total}), Agent-0's latency ({@code agent0_latency_seconds},
 * a histogram with p50/p95/p99), each model's load time ({@code model_load_time_seconds}), decode
 * rate ({@code model_tokens_per_second}) and time to first token
 * ({@code time_to_first_token_seconds}), the cloud spend ({@code cloud_spend_usd_total}; today's,
 * what the budget refused today and the budget as gauges) and {@code gpu_utilization}.
 *
 * <p>Agent-0's p95 for the latency alert comes from a private copy of its timer, so the alert
 * works whatever registry the user passes (a no-op one included).
 */
final class CouncilMetrics {

    private final MeterRegistry registry;
    private final Map<Route, Counter> requests = new EnumMap<>(Route.class);
    private final Map<Route, Counter> escalations = new EnumMap<>(Route.class);
    private final Timer agent0Latency;
    private final Counter cloudSpend;
    private final Timer agent0Window;
    private final Map<String, AtomicReference<Double>> loadTimes = new ConcurrentHashMap<>();
    private final Map<String, DistributionSummary> tokensPerSecond = new ConcurrentHashMap<>();
    private final Map<String, Timer> firstToken = new ConcurrentHashMap<>();

    /**
     * @param latencyWindow the span of Agent-0's p95 for the alert
     * @param latencyLimit  the alert's threshold, a histogram bucket of its own so that the
     *                      Prometheus rule reads it exactly
     */
    CouncilMetrics(MeterRegistry registry, Duration latencyWindow, Duration latencyLimit) {
        this.registry = registry;
        for (Route r : Route.values()) {
            requests.put(r, Counter.builder("agentcouncil.requests").tag("route", r.tag())
                    .description("Replies by the route that gave them").register(registry));
        }
        for (Route r : new Route[] {Route.COUNCIL, Route.CLOUD}) {
            escalations.put(r, Counter.builder("agentcouncil.escalations").tag("to", r.tag())
                    .description("Escalations to the council or the cloud").register(registry));
        }
        agent0Latency = Timer.builder("agent0.latency").description("Agent-0's answer, prompt to last token")
                .publishPercentiles(0.5, 0.95, 0.99).publishPercentileHistogram().serviceLevelObjectives(latencyLimit)
                .distributionStatisticExpiry(latencyWindow).register(registry);
        agent0Window = Timer.builder("agent0.latency").publishPercentiles(0.95)
                .distributionStatisticExpiry(latencyWindow).register(new SimpleMeterRegistry());
        cloudSpend = Counter.builder("cloud.spend.usd").description("USD spent on the cloud model").register(registry);
    }

    void reply(Reply reply) {
        requests.get(reply.route()).increment();
    }

    void escalation(Route to) {
        escalations.get(to).increment();
    }

    void agent0(Duration latency) {
        agent0Latency.record(latency);
        agent0Window.record(latency);
    }

    /** Agent-0's latency p95 in seconds over the alert window; 0 when it saw no answer. */
    double agent0P95Seconds() {
        for (ValueAtPercentile v : agent0Window.takeSnapshot().percentileValues()) {
            if (v.percentile() == 0.95) {
                return v.value(TimeUnit.SECONDS);
            }
        }
        return Double.NaN;
    }

    /** A generation's decode rate and time to first token, by model. */
    void generation(String model, GenerationTimings t) {
        if (t.generatedTokens() > 1) {
            tokensPerSecond.computeIfAbsent(model, m -> DistributionSummary.builder("model.tokens.per.second")
                    .tag("model_name", m).description("Decode rate of one generation, tokens after the first per second")
                    .register(registry)).record(t.decodeTokensPerSecond());
        }
        if (t.generatedTokens() > 0) {
            firstToken.computeIfAbsent(model, m -> Timer.builder("time.to.first.token").tag("model_name", m)
                    .description("From a generation's start (prompt evaluation included) to its first token")
                    .publishPercentiles(0.5, 0.95).register(registry))
                    .record(Duration.ofNanos((long) (t.timeToFirstTokenMillis() * 1e6)));
        }
    }

    void gpu(GpuMonitor gpu) {
        Gauge.builder("gpu.utilization", gpu, g -> g.utilization().orElse(Double.NaN))
                .description("GPU utilization in percent; NaN where no GPU backend runs").register(registry);
    }

    void cloud(CloudFallback cloud) {
        Gauge.builder("cloud.spend.today", cloud, c -> readOrNaN(c::spentTodayUsd)).baseUnit("usd")
                .description("Cloud spend of the current day in the budget's time zone").register(registry);
        Gauge.builder("cloud.refused.today", cloud, CloudFallback::refusedTodayUsd).baseUnit("usd")
                .description("Worst cases of the cloud calls the budget refused today").register(registry);
        Gauge.builder("cloud.budget", cloud, CloudFallback::dailyBudgetUsd).baseUnit("usd")
                .description("The cloud tier's daily budget").register(registry);
    }

    private static double readOrNaN(java.util.function.DoubleSupplier read) {
        try {
            return read.getAsDouble();
        } catch (RuntimeException e) { // an unreadable ledger: no value, never a made-up 0
            return Double.NaN;
        }
    }

    void cloudSpend(double usd) {
        if (usd > 0) {
            cloudSpend.increment(usd);
        }
    }

    void modelLoaded(String model, Duration time) {
        loadTimes.computeIfAbsent(model, m -> {
            AtomicReference<Double> seconds = new AtomicReference<>(0.0);
            Gauge.builder("model.load.time", seconds, AtomicReference::get).tag("model_name", m).baseUnit("seconds")
                    .description("Time the model's weights took to load").register(registry);
            return seconds;
        }).set(time.toNanos() / 1e9);
    }
}
