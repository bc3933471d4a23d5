package io.agentcouncil.monitoring;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Evaluates alert rules on a schedule, in-process, and tells the sinks when one fires or
 * resolves. Each rule reads its value from a source: empty means the rule does not apply here
 * ({@link AlertState#INACTIVE}), NaN means no data yet (not breached).
 *
 * <p>States follow Prometheus: a breached rule is {@link AlertState#PENDING} until it has been
 * breached at every evaluation for its duration, then {@link AlertState#FIRING} (one event);
 * the first evaluation that finds it no longer breached makes it {@link AlertState#RESOLVED}
 * (one event), or {@link AlertState#OK} if it never fired.
 */
public final class AlertEvaluator implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("io.agentcouncil.alerts");

    private final Map<Alert, AlertRule> rules = new EnumMap<>(Alert.class);
    private final Map<Alert, Supplier<OptionalDouble>> sources;
    private final Map<Alert, AlertStatus> statuses = new EnumMap<>(Alert.class);
    private final Map<Alert, Instant> breachedSince = new EnumMap<>(Alert.class);
    private final List<AlertSink> sinks;
    private final Clock clock;
    private final Counter sinkFailures;
    private final ScheduledExecutorService scheduler;

    /**
     * Evaluates once now, then every {@code interval} (never, for a null interval: the caller
     * calls {@link #evaluate()}).
     */
    public AlertEvaluator(List<AlertRule> rules, Map<Alert, Supplier<OptionalDouble>> sources, List<AlertSink> sinks,
            Clock clock, Duration interval, MeterRegistry registry) {
        Instant now = clock.instant();
        for (AlertRule r : rules) {
            this.rules.put(r.alert(), r);
            statuses.put(r.alert(), new AlertStatus(r, AlertState.INACTIVE, Double.NaN, now));
        }
        this.sources = Map.copyOf(sources);
        this.sinks = List.copyOf(sinks);
        this.clock = clock;
        sinkFailures = Counter.builder("alert.sink.failures")
                .description("Alert notifications a sink failed to take").register(registry);
        if (interval == null) {
            scheduler = null;
            return;
        }
        evaluateQuietly();
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "agentcouncil-alerts");
            t.setDaemon(true);
            return t;
        });
        scheduler.scheduleWithFixedDelay(this::evaluateQuietly, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Every rule as its last evaluation left it, in {@link Alert} order. */
    public synchronized List<AlertStatus> statuses() {
        return List.copyOf(statuses.values());
    }

    public synchronized AlertStatus status(Alert alert) {
        return statuses.get(alert);
    }

    /** The alerts now firing. */
    public synchronized List<Alert> firing() {
        return statuses.values().stream().filter(s -> s.state() == AlertState.FIRING).map(AlertStatus::alert).toList();
    }

    private void evaluateQuietly() {
        try {
            evaluate();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "alert evaluation failed", e); // the schedule must go on
        }
    }

    /** Evaluates every rule once, now; returns the events it sent. */
    public List<AlertEvent> evaluate() {
        List<AlertEvent> events = new ArrayList<>();
        synchronized (this) {
            Instant now = clock.instant();
            for (AlertRule rule : rules.values()) {
                AlertEvent e = evaluate(rule, read(rule.alert()), now);
                if (e != null) {
                    events.add(e);
                }
            }
        }
        for (AlertEvent e : events) {
            for (AlertSink sink : sinks) {
                try {
                    sink.send(e);
                } catch (RuntimeException ex) {
                    sinkFailures.increment();
                    LOG.log(Level.WARNING, "alert sink " + sink + " failed on " + e.alert() + ": " + ex);
                }
            }
        }
        return events;
    }

    private OptionalDouble read(Alert alert) {
        Supplier<OptionalDouble> source = sources.get(alert);
        if (source == null) {
            return OptionalDouble.empty();
        }
        try {
            return source.get();
        } catch (RuntimeException e) {
            // A source that cannot answer (a ledger that cannot be read) is no data, not a breach.
            LOG.log(Level.WARNING, "cannot read the value of " + alert + ": " + e);
            return OptionalDouble.of(Double.NaN);
        }
    }

    private AlertEvent evaluate(AlertRule rule, OptionalDouble reading, Instant now) {
        Alert alert = rule.alert();
        AlertStatus before = statuses.get(alert);
        double value = reading.orElse(Double.NaN);
        boolean breached = reading.isPresent() && rule.breachedBy(value);
        AlertState next;
        if (reading.isEmpty()) {
            next = before.state() == AlertState.FIRING ? AlertState.RESOLVED : AlertState.INACTIVE;
        } else if (breached) {
            Instant since = breachedSince.computeIfAbsent(alert, a -> now);
            boolean held = !Duration.between(since, now).minus(rule.forDuration()).isNegative();
            next = before.state() == AlertState.FIRING || held ? AlertState.FIRING : AlertState.PENDING;
        } else {
            next = before.state() == AlertState.FIRING ? AlertState.RESOLVED
                    : before.state() == AlertState.RESOLVED ? AlertState.RESOLVED : AlertState.OK;
        }
        if (!breached) {
            breachedSince.remove(alert);
        }
        Instant since = next == before.state() ? before.since() : now;
        statuses.put(alert, new AlertStatus(rule, next, value, since));
        if (next != before.state() && (next == AlertState.FIRING || next == AlertState.RESOLVED)) {
            return new AlertEvent(rule, next, value, now);
        }
        return null;
    }

    /** Stops the schedule; statuses stay readable. Safe to call twice. */
    @Override
    public void close() {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }
}
