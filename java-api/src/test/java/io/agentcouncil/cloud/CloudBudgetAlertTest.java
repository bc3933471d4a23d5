package io.agentcouncil.cloud;

import io.agentcouncil.AgentCouncil;
import io.agentcouncil.ModelSource;
import io.agentcouncil.Reply;
import io.agentcouncil.Route;
import io.agentcouncil.TestModels;
import io.agentcouncil.monitoring.Alert;
import io.agentcouncil.monitoring.AlertState;
import io.agentcouncil.monitoring.AlertStatus;
import io.agentcouncil.monitoring.Alerting;
import io.agentcouncil.monitoring.Health;
import io.agentcouncil.monitoring.MutableClock;
import io.agentcouncil.monitoring.Promtool;
import io.agentcouncil.monitoring.SlackAlertSink;
import io.agentcouncil.monitoring.SlackReceiver;
import io.agentcouncil.template.ChatMessage;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The budget alert on a real breach: a council whose every message goes to the cloud tier, a
 * real OpenAI-compatible server (llama-cpp-python's) priced so that the day's budget runs out
 * after a call or two, Slack at a loopback receiver, and the Prometheus scrape of it all checked
 * by {@code promtool check metrics}.
 */
class CloudBudgetAlertTest {
    private static final String KEY_ENV = "AGENTCOUNCIL_TEST_CLOUD_KEY";
    private static final String KEY = "sk-test-" + UUID.randomUUID();
    private static final String ALIAS = "smollm2";
    private static final double PRICE = 1e-4; // per token, in and out
    private static final int MAX_NEW_TOKENS = 16;
    private static final String SYSTEM = "Answer briefly.";
    private static final String QUESTION = "What is the capital of France?";
    /** Room for the first call's worst case and not much more: later calls, with memory in their prompt, run out. */
    private static final double BUDGET = 1.5 * new Pricing(PRICE, PRICE)
            .worstCase(List.of(ChatMessage.system(SYSTEM), ChatMessage.user(QUESTION)), MAX_NEW_TOKENS).doubleValue();

    private static LlamaServer server;

    @TempDir
    Path dir;

    @BeforeAll
    static void startServer() throws Exception {
        server = LlamaServer.start(TestModels.require(TestModels.SMOLLM2), ALIAS, KEY, Path.of("target", "cloud-test"));
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    private static AlertState budgetState(AgentCouncil c) {
        return c.alerts().stream().filter(s -> s.alert() == Alert.BUDGET_BREACH).findFirst()
                .map(AlertStatus::state).orElseThrow();
    }

    private static void await(String what, java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("waited 60 s for " + what);
            }
            Thread.sleep(20);
        }
    }

    @Test
    void spendBeyondTheBudgetFiresTheAlertAndTheNextDayResolvesIt() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-12-02T12:00:00Z"));
        PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        CloudFallback.Builder cloud = CloudFallback.builder().baseUrl(server.baseUrl()).model(ALIAS)
                .pricePerInputToken(PRICE).pricePerOutputToken(PRICE).dailyBudgetUsd(BUDGET)
                .zone(ZoneId.of("UTC")).clock(clock).ledger(dir.resolve("spend.json"))
                .timeout(Duration.ofSeconds(60)).apiKeyEnv(KEY_ENV).environment(Map.of(KEY_ENV, KEY)::get);
        try (SlackReceiver slack = new SlackReceiver();
             SlackAlertSink sink = SlackAlertSink.builder(slack.url()).meterRegistry(prometheus).build();
             AgentCouncil c = AgentCouncil.builder().agent0(ModelSource.roster(TestModels.SMOLLM2)).threads(2)
                     .maxNewTokens(MAX_NEW_TOKENS).systemPrompt(SYSTEM).confidenceGate(1.0) // nothing local is confident enough: every turn asks the cloud
                     .cloud(cloud).meterRegistry(prometheus)
                     .alerting(Alerting.builder().evaluationInterval(Duration.ofMillis(50)).clock(clock).sinks(sink)
                             .agent0LatencyAbove(Duration.ofSeconds(30), Duration.ZERO) // this test is about the budget
                             .build())
                     .build()) {
            await("a first evaluation", () -> budgetState(c) == AlertState.OK);
            assertEquals("budget left", c.health().components().get("cloud").state());

            int answered = 0;
            Reply refused = null;
            for (int turn = 0; turn < 6 && refused == null; turn++) {
                Reply r = c.chat("s", QUESTION);
                if (r.route() == Route.CLOUD) {
                    answered++;
                } else {
                    refused = r;
                }
            }
            assertTrue(answered >= 1, "the cloud answered before the budget ran out");
            assertTrue(refused != null && refused.degraded(), "a call beyond the budget is refused: " + refused);
            assertTrue(refused.stages().get(refused.stages().size() - 1).note().startsWith("over_budget"), refused.toString());

            await("BudgetBreach firing", () -> budgetState(c) == AlertState.FIRING);
            List<String> texts = slack.await(1, Duration.ofSeconds(30));
            assertTrue(texts.get(0).startsWith("[FIRING] Budget breach (BudgetBreach): "), texts.toString());
            Health.Component health = c.health().components().get("cloud");
            assertEquals("budget exhausted", health.state(), health.toString());

            await("the post counted", () -> prometheus.get("alert.notifications").tag("outcome", "sent").counter().count() == 1);
            String scrape = prometheus.scrape();
            Files.createDirectories(Path.of("target"));
            Files.writeString(Path.of("target", "metrics-sample.txt"), scrape);
            Promtool.Result check = Promtool.checkMetrics(scrape);
            assertEquals(0, check.exitCode(), check.output() + "\n" + scrape);
            for (String name : List.of("agentcouncil_requests_total{route=\"agent0\"}", "agentcouncil_escalations_total{to=\"cloud\"}",
                    "agent0_latency_seconds_bucket{le=\"30.0\"}",
                    "model_load_time_seconds{model_name=", "model_tokens_per_second_count{model_name=",
                    "time_to_first_token_seconds_count{model_name=", "cloud_spend_usd_total", "cloud_spend_today_usd",
                    "cloud_refused_today_usd", "cloud_budget_usd", "scratchpad_entries_queue", "gpu_utilization NaN",
                    "memory_recall_latency_seconds_count", "memory_compression_ratio",
                    "alert_notifications_total{outcome=\"sent\",sink=\"slack\"} 1.0")) {
                assertTrue(scrape.contains(name), name + " in the scrape:\n" + scrape);
            }

            clock.advance(Duration.ofDays(1));
            await("BudgetBreach resolved on the next day", () -> budgetState(c) == AlertState.RESOLVED);
            texts = slack.await(2, Duration.ofSeconds(30));
            assertTrue(texts.get(1).startsWith("[RESOLVED] Budget breach (BudgetBreach)"), texts.toString());
        }
    }
}
