package io.agentcouncil.monitoring;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Slack sink against a real HTTP receiver on loopback. */
class SlackAlertSinkTest {
    private static final Instant T0 = Instant.parse("2026-12-02T12:00:00Z");
    private static final AlertRule FLUSH = new AlertRule(Alert.FLUSH_STUCK, true, 1000, Duration.ZERO);
    private static final AlertRule SLOW = new AlertRule(Alert.AGENT0_SLOW, true, 0.4, Duration.ZERO);

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final List<String> logged = new ArrayList<>();
    private final Logger alertsLog = Logger.getLogger("io.agentcouncil.alerts");
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord r) {
            synchronized (logged) {
                logged.add(r.getMessage() + (r.getThrown() != null ? " " + r.getThrown() : ""));
            }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };
    private SlackReceiver receiver;

    @BeforeEach
    void start() throws Exception {
        receiver = new SlackReceiver();
        alertsLog.addHandler(capture);
    }

    @AfterEach
    void stop() {
        alertsLog.removeHandler(capture);
        receiver.close();
    }

    private static AlertEvent event(AlertRule rule, AlertState state, double value, Duration after) {
        return new AlertEvent(rule, state, value, T0.plus(after));
    }

    private double outcome(String outcome) {
        return registry.get("alert.notifications").tag("sink", "slack").tag("outcome", outcome).counter().count();
    }

    @Test
    void atMostOneFiringMessagePerAlertPerHourEachClosedByItsResolvedMessage() throws Exception {
        try (SlackAlertSink sink = SlackAlertSink.builder(receiver.url()).meterRegistry(registry).build()) {
            sink.send(event(FLUSH, AlertState.FIRING, 1500, Duration.ZERO));
            sink.send(event(SLOW, AlertState.FIRING, 0.9, Duration.ofMinutes(1))); // another alert: its own limit
            sink.send(event(FLUSH, AlertState.RESOLVED, 10, Duration.ofMinutes(5)));
            sink.send(event(FLUSH, AlertState.FIRING, 2000, Duration.ofMinutes(20))); // within the hour: held back
            sink.send(event(FLUSH, AlertState.RESOLVED, 0, Duration.ofMinutes(25))); // its firing was not posted
            sink.send(event(FLUSH, AlertState.FIRING, 3000, Duration.ofMinutes(61)));
        }
        List<String> texts = receiver.texts();
        assertEquals(List.of(
                "[FIRING] Flush thread stuck (FlushStuck): 1500 > 1000 at 2026-12-02T12:00:00Z",
                "[FIRING] Performance degradation (Agent0Slow): 0.9000 > 0.4000 at 2026-12-02T12:01:00Z",
                "[RESOLVED] Flush thread stuck (FlushStuck): back to 10 at 2026-12-02T12:05:00Z",
                "[FIRING] Flush thread stuck (FlushStuck): 3000 > 1000 at 2026-12-02T13:01:00Z"), texts);
        assertEquals(4, outcome("sent"));
        assertEquals(2, outcome("suppressed"));
    }

    @Test
    void aSlowReceiverNeitherBlocksTheCallerNorOutlivesTheTimeout() throws Exception {
        receiver.delay(Duration.ofSeconds(3));
        try (SlackAlertSink sink = SlackAlertSink.builder(receiver.url()).timeout(Duration.ofMillis(300))
                .meterRegistry(registry).build()) {
            long t0 = System.nanoTime();
            sink.send(event(FLUSH, AlertState.FIRING, 1500, Duration.ZERO));
            assertTrue(System.nanoTime() - t0 < Duration.ofMillis(200).toNanos(), "send only queues");
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (outcome("failed") < 1 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
        }
        assertEquals(1, outcome("failed"), "the timed-out post is a failure");
        assertEquals(0, outcome("sent"));
        assertNoUrlLogged();
    }

    @Test
    void aFailingOrAbsentReceiverIsCountedAndLoggedWithoutItsUrl() throws Exception {
        receiver.respondWith(500);
        try (SlackAlertSink sink = SlackAlertSink.builder(receiver.url()).meterRegistry(registry).build()) {
            sink.send(event(FLUSH, AlertState.FIRING, 1500, Duration.ZERO));
        }
        assertEquals(1, receiver.texts().size(), "it was posted");
        assertEquals(1, outcome("failed"));

        java.net.URI gone = receiver.url();
        receiver.close();
        try (SlackAlertSink sink = SlackAlertSink.builder(gone).meterRegistry(registry).build()) {
            sink.send(event(SLOW, AlertState.FIRING, 1, Duration.ZERO));
        }
        assertEquals(2, outcome("failed"), "a refused connection too");
        synchronized (logged) {
            assertEquals(2, logged.size(), "each failure is logged: " + logged);
        }
        assertNoUrlLogged();
        assertFalse(SlackAlertSink.builder(gone).build().toString().contains(gone.getPath()));
    }

    private void assertNoUrlLogged() {
        String secret = receiver.url().getPath();
        synchronized (logged) {
            for (String line : logged) {
                assertFalse(line.contains(secret) || line.contains("127.0.0.1:"), "the webhook URL was logged: " + line);
            }
        }
    }
}
