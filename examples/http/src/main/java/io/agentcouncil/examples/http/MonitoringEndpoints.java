package io.agentcouncil.examples.http;

import io.agentcouncil.models.ModelSpec;
import io.agentcouncil.monitoring.AlertStatus;
import io.agentcouncil.monitoring.Health;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Health and metrics for load balancers, dashboards and Prometheus: {@code /health} (everything),
 * {@code /healthz} (200 or 503), {@code /status/production} (models, memory, alerts, budget),
 * {@code /metrics} (Prometheus text) and {@code /metrics/production} (the four alert values and
 * the health score).
 */
final class MonitoringEndpoints {
    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final CouncilService service;
    private final ModelCatalog catalog;

    MonitoringEndpoints(CouncilService service, ModelCatalog catalog) {
        this.service = service;
        this.catalog = catalog;
    }

    /** The council's health, and which roster models are on disk. */
    void health(Context ctx) {
        Health h = service.council().health();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", h.status().name());
        body.put("score", h.score());
        body.put("components", h.components());
        Map<String, String> roster = new LinkedHashMap<>();
        for (ModelSpec spec : catalog.models()) {
            roster.put(spec.name(), catalog.isFetched(spec) ? "fetched" : "missing");
        }
        body.put("roster", roster);
        ctx.status(h.status() == Health.Status.DOWN ? 503 : 200).json(body);
    }

    /** For a load balancer: 200 while the engine answers (UP or DEGRADED), 503 when it cannot. */
    void healthz(Context ctx) {
        Health h = service.council().health();
        ctx.status(h.status() == Health.Status.DOWN ? 503 : 200).json(Map.of("status", h.status().name()));
    }

    void statusProduction(Context ctx) {
        Health h = service.council().health();
        Map<String, Object> models = new LinkedHashMap<>();
        Map<String, Object> rest = new LinkedHashMap<>();
        h.components().forEach((name, c) -> (name.equals("agent0") || name.startsWith("specialist:") ? models : rest).put(name, c));
        Map<String, Object> alerts = new LinkedHashMap<>();
        for (AlertStatus a : service.council().alerts()) {
            Map<String, Object> alert = new LinkedHashMap<>();
            alert.put("state", a.state().name());
            alert.put("value", number(a.value()));
            alert.put("threshold", a.rule().threshold());
            alert.put("since", a.since().toString());
            alerts.put(a.alert().ruleName(), alert);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", h.status().name());
        body.put("score", h.score());
        body.put("gpu_profile", service.limits().gpuProfile());
        body.put("models", models);
        body.put("memory", Map.of("store", rest.get("memory"), "write_behind", rest.get("writeBehind")));
        body.put("budget", rest.get("cloud"));
        body.put("compute", rest.get("compute"));
        body.put("alerts", alerts);
        ctx.json(body);
    }

    void metrics(Context ctx) {
        ctx.contentType(PROMETHEUS_TEXT).result(service.registry().scrape());
    }

    /** The value each alert last read, by its Prometheus metric, and the health score. */
    void metricsProduction(Context ctx) {
        Map<String, Object> body = new LinkedHashMap<>();
        for (AlertStatus a : service.council().alerts()) {
            body.put(switch (a.alert()) {
                case GPU_FELL_TO_CPU -> "gpu_utilization";
                case AGENT0_SLOW -> "agent0_latency_p95_seconds";
                case BUDGET_BREACH -> "cloud_demand_today_usd";
                case FLUSH_STUCK -> "scratchpad_entries_queue";
            }, number(a.value()));
        }
        body.put("health_score", service.council().health().score());
        ctx.json(body);
    }

    /** JSON has no NaN: a value not read (no data, an inactive rule) is null. */
    private static Double number(double v) {
        return Double.isNaN(v) ? null : v;
    }
}
