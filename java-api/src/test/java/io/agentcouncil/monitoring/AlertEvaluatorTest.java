package io.agentcouncil.monitoring;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The state machine, on a clock and values the test moves (pure logic; the real conditions are in the council's tests). */
class AlertEvaluatorTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-02T12:00:00Z"));
    private final AtomicReference<OptionalDouble> value = new AtomicReference<>(OptionalDouble.of(0));
    private final List<AlertEvent> sent = new ArrayList<>();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private AlertEvaluator evaluator(AlertRule rule, AlertSink... extraSinks) {
        List<AlertSink> sinks = new ArrayList<>(List.of(sent::add));
        sinks.addAll(List.of(extraSinks));
        return new AlertEvaluator(List.of(rule), Map.of(rule.alert(), value::get), sinks, clock, null, registry);
    }

    private AlertState step(AlertEvaluator e, double v, Duration later) {
        value.set(OptionalDouble.of(v));
        clock.advance(later);
        e.evaluate();
        return e.status(Alert.GPU_FELL_TO_CPU).state();
    }

    @Test
    void pendingForItsDurationThenFiringThenResolvedWithOneEventEach() {
        AlertEvaluator e = evaluator(new AlertRule(Alert.GPU_FELL_TO_CPU, false, 20, Duration.ofMinutes(3)));
        assertEquals(AlertState.OK, step(e, 90, Duration.ZERO));
        assertEquals(AlertState.PENDING, step(e, 10, Duration.ofSeconds(30)));
        assertEquals(AlertState.PENDING, step(e, 5, Duration.ofMinutes(2)));
        assertTrue(sent.isEmpty(), "nothing is sent while pending");
        assertEquals(AlertState.FIRING, step(e, 5, Duration.ofMinutes(1)));
        assertEquals(AlertState.FIRING, step(e, 5, Duration.ofMinutes(1)));
        assertEquals(1, sent.size(), "one event per firing, not one per evaluation");
        assertEquals(AlertState.FIRING, sent.get(0).state());
        assertEquals("[FIRING] Model fell to CPU (GpuFellToCpu): 5 < 20", sent.get(0).text());
        assertEquals(AlertState.RESOLVED, step(e, 70, Duration.ofSeconds(30)));
        assertEquals(AlertState.RESOLVED, step(e, 70, Duration.ofSeconds(30)));
        assertEquals(2, sent.size());
        assertEquals(AlertState.RESOLVED, sent.get(1).state());
    }

    @Test
    void aBreachThatClearsBeforeItsDurationNeverFiresAndRestartsItsCount() {
        AlertEvaluator e = evaluator(new AlertRule(Alert.GPU_FELL_TO_CPU, false, 20, Duration.ofMinutes(3)));
        assertEquals(AlertState.PENDING, step(e, 10, Duration.ZERO));
        assertEquals(AlertState.OK, step(e, 50, Duration.ofMinutes(2)));
        assertEquals(AlertState.PENDING, step(e, 10, Duration.ofMinutes(2)));
        assertEquals(AlertState.PENDING, step(e, 10, Duration.ofMinutes(2)), "2 minutes since the new breach, not 6");
        assertEquals(AlertState.FIRING, step(e, 10, Duration.ofMinutes(1)));
        assertEquals(1, sent.size());
    }

    @Test
    void zeroDurationFiresAtTheFirstBreachingEvaluation() {
        AlertEvaluator e = evaluator(new AlertRule(Alert.GPU_FELL_TO_CPU, false, 20, Duration.ZERO));
        assertEquals(AlertState.FIRING, step(e, 19.9, Duration.ZERO));
        assertEquals(AlertState.RESOLVED, step(e, 20, Duration.ofSeconds(1)), "the threshold itself is not a breach");
    }

    @Test
    void anEmptyReadingIsInactiveAndNaNIsNoBreach() {
        AlertEvaluator e = evaluator(new AlertRule(Alert.GPU_FELL_TO_CPU, false, 20, Duration.ZERO));
        value.set(OptionalDouble.empty());
        e.evaluate();
        assertEquals(AlertState.INACTIVE, e.status(Alert.GPU_FELL_TO_CPU).state());
        assertEquals(AlertState.OK, step(e, Double.NaN, Duration.ofSeconds(1)));
        assertTrue(sent.isEmpty());
    }

    @Test
    void aFailingSinkOrSourceIsCountedAndNeverStopsTheOthers() {
        AlertEvaluator e = evaluator(new AlertRule(Alert.GPU_FELL_TO_CPU, false, 20, Duration.ZERO), ev -> {
            throw new IllegalStateException("sink down");
        });
        step(e, 1, Duration.ZERO);
        assertEquals(1, sent.size());
        assertEquals(1.0, registry.get("alert.sink.failures").counter().count());

        AlertRule rule = new AlertRule(Alert.FLUSH_STUCK, true, 10, Duration.ZERO);
        AlertEvaluator broken = new AlertEvaluator(List.of(rule), Map.of(Alert.FLUSH_STUCK, () -> {
            throw new IllegalStateException("cannot read");
        }), List.of(sent::add), clock, null, registry);
        broken.evaluate();
        assertEquals(AlertState.OK, broken.status(Alert.FLUSH_STUCK).state());
    }

    @Test
    void theScheduleEvaluatesOnItsOwn() throws InterruptedException {
        AlertRule rule = new AlertRule(Alert.FLUSH_STUCK, true, 10, Duration.ZERO);
        value.set(OptionalDouble.of(11));
        try (AlertEvaluator e = new AlertEvaluator(List.of(rule), Map.of(Alert.FLUSH_STUCK, value::get), List.of(sent::add),
                Clock.systemUTC(), Duration.ofMillis(20), registry)) {
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (e.status(Alert.FLUSH_STUCK).state() != AlertState.FIRING && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertEquals(AlertState.FIRING, e.status(Alert.FLUSH_STUCK).state());
        }
    }

    @Test
    void badConfigurationIsReportedAllAtOnce() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Alerting.builder()
                .evaluationInterval(Duration.ZERO)
                .flushQueueAbove(-1, Duration.ZERO)
                .gpuUtilizationBelow(20, Duration.ofSeconds(-1))
                .agent0LatencyAbove(Duration.ZERO, Duration.ZERO)
                .build());
        for (String field : List.of("evaluationInterval", "flushQueueAbove", "GPU_FELL_TO_CPU", "agent0LatencyAbove")) {
            assertTrue(e.getMessage().contains(field), field + " in: " + e.getMessage());
        }
    }
}
