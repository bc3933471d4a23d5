package io.agentcouncil;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The council's meters, under the Prometheus names of DESIGN.md: requests by route
 * ({@code agentcouncil_requests_total}), escalations by target
 * ({@code agentcouncil_escalations_total}), Agent-0's latency ({@code agent0_latency_seconds},
 * with p95), each model's load time ({@code model_load_time_seconds}) and the cloud spend
 * ({@code cloud_spend_usd_total}).
 */
final class CouncilMetrics {

    private final MeterRegistry registry;
    private final Map<Route, Counter> requests = new EnumMap<>(Route.class);
    private final Map<Route, Counter> escalations = new EnumMap<>(Route.class);
    private final Timer agent0Latency;
    private final Counter cloudSpend;
    private final Map<String, AtomicReference<Double>> loadTimes = new ConcurrentHashMap<>();

    CouncilMetrics(MeterRegistry registry) {
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
                .publishPercentiles(0.5, 0.95, 0.99).publishPercentileHistogram().register(registry);
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
