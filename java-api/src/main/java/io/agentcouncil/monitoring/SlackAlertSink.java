package io.agentcouncil.monitoring;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Posts alert notifications to a Slack incoming webhook ({@code {"text": ...}}).
 *
 * <ul>
 * <li>Rate limit: at most one firing message per alert per {@link Builder#minInterval} (default one
 * hour); a firing held back by the limit is counted as {@code suppressed}. A resolved message is
 * posted for every firing message that was posted, so each notified incident is closed.</li>
 * <li>Asynchronous: {@link #send} only queues; one thread posts, each request bounded by
 * {@link Builder#timeout} (default 5 s). A full queue drops the message ({@code dropped}).</li>
 * <li>Failures (a timeout, a refused connection, a non-2xx answer) are counted as
 * {@code failed} and logged, never thrown; the URL, which is a secret, is never logged nor in
 * {@link #toString()}.</li>
 * </ul>
 * Outcomes are counted in {@code alert_notifications_total{sink="slack",outcome=...}}.
 */
public final class SlackAlertSink implements AlertSink, AutoCloseable {
    private static final System.Logger LOG = System.getLogger("io.agentcouncil.alerts");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI webhook;
    private final Duration timeout;
    private final Duration minInterval;
    private final HttpClient http;
    private final ThreadPoolExecutor poster;
    private final Map<Alert, Instant> lastFiringPosted = new EnumMap<>(Alert.class);
    private final Set<Alert> incidentPosted = EnumSet.noneOf(Alert.class);
    private final Counter sent;
    private final Counter failed;
    private final Counter suppressed;
    private final Counter dropped;

    private SlackAlertSink(Builder b) {
        webhook = b.webhook;
        timeout = b.timeout;
        minInterval = b.minInterval;
        http = HttpClient.newBuilder().connectTimeout(timeout).build();
        poster = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(b.queueCapacity), r -> {
            Thread t = new Thread(r, "agentcouncil-slack");
            t.setDaemon(true);
            return t;
        });
        MeterRegistry registry = b.registry;
        sent = outcome(registry, "sent");
        failed = outcome(registry, "failed");
        suppressed = outcome(registry, "suppressed");
        dropped = outcome(registry, "dropped");
    }

    private static Counter outcome(MeterRegistry registry, String outcome) {
        return Counter.builder("alert.notifications").tag("sink", "slack").tag("outcome", outcome)
                .description("Alert notifications by sink and outcome").register(registry);
    }

    /** @param webhook the incoming webhook's URL (a secret: it is never logged) */
    public static Builder builder(URI webhook) {
        return new Builder(webhook);
    }

    @Override
    public void send(AlertEvent event) {
        if (!admit(event)) {
            suppressed.increment();
            return;
        }
        try {
            poster.execute(() -> post(event));
        } catch (RejectedExecutionException e) {
            dropped.increment();
            LOG.log(Level.WARNING, "Slack alert sink: queue full or closed, dropped " + event.text());
        }
    }

    private synchronized boolean admit(AlertEvent event) {
        Alert a = event.alert();
        if (event.state() == AlertState.RESOLVED) {
            return incidentPosted.remove(a);
        }
        Instant last = lastFiringPosted.get(a);
        if (last != null && Duration.between(last, event.at()).compareTo(minInterval) < 0) {
            return false;
        }
        lastFiringPosted.put(a, event.at());
        incidentPosted.add(a);
        return true;
    }

    private void post(AlertEvent event) {
        try {
            String body = JSON.writeValueAsString(Map.of("text", event.text() + " at " + event.at()));
            HttpRequest request = HttpRequest.newBuilder(webhook).timeout(timeout)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build();
            HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
            if (response.statusCode() / 100 == 2) {
                sent.increment();
            } else {
                failed.increment();
                LOG.log(Level.WARNING, "Slack alert sink: webhook answered HTTP " + response.statusCode() + " to " + event.text());
            }
        } catch (InterruptedException e) {
            failed.increment();
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            failed.increment();
            // The exception's class only: messages of the HTTP client can carry the URL.
            LOG.log(Level.WARNING, "Slack alert sink: " + e.getClass().getSimpleName() + " posting " + event.text());
        }
    }

    /** Lets queued messages go out for up to {@code timeout} each, then stops. Safe to call twice. */
    @Override
    public void close() {
        poster.shutdown();
        try {
            if (!poster.awaitTermination(timeout.toMillis() * (poster.getQueue().size() + 1), TimeUnit.MILLISECONDS)) {
                poster.shutdownNow();
            }
        } catch (InterruptedException e) {
            poster.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "slack";
    }

    public static final class Builder {
        private final URI webhook;
        private Duration timeout = Duration.ofSeconds(5);
        private Duration minInterval = Duration.ofHours(1);
        private int queueCapacity = 100;
        private MeterRegistry registry = new SimpleMeterRegistry();

        private Builder(URI webhook) {
            this.webhook = Objects.requireNonNull(webhook, "webhook");
            String scheme = webhook.getScheme();
            if (!"https".equalsIgnoreCase(scheme) && !"http".equalsIgnoreCase(scheme)) {
                // Not the URL itself: it is a secret.
                throw new IllegalArgumentException("Slack webhook URL must be http(s), got scheme " + scheme);
            }
        }

        /** Bound of each post, connection included (default 5 s). */
        public Builder timeout(Duration timeout) {
            if (timeout == null || timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("timeout must be > 0, got " + timeout);
            }
            this.timeout = timeout;
            return this;
        }

        /** The least time between two firing messages of one alert (default one hour). */
        public Builder minInterval(Duration minInterval) {
            if (minInterval == null || minInterval.isNegative()) {
                throw new IllegalArgumentException("minInterval must be >= 0, got " + minInterval);
            }
            this.minInterval = minInterval;
            return this;
        }

        /** Messages waiting to be posted beyond which new ones are dropped (default 100). */
        public Builder queueCapacity(int capacity) {
            if (capacity < 1) {
                throw new IllegalArgumentException("queueCapacity must be >= 1, got " + capacity);
            }
            this.queueCapacity = capacity;
            return this;
        }

        /** Where the outcome counters go. */
        public Builder meterRegistry(MeterRegistry registry) {
            this.registry = Objects.requireNonNull(registry, "registry");
            return this;
        }

        public SlackAlertSink build() {
            return new SlackAlertSink(this);
        }
    }
}
