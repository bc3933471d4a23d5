package io.agentcouncil.examples.http;

import io.agentcouncil.AgentCouncil;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The council behind the server, with the admission of chat requests: at most
 * {@link ServerLimits#maxConcurrent()} at once (429 beyond), none once a stop has begun (503), and
 * a stop that waits for those in flight before it closes the council (which drains memory).
 */
public final class CouncilService implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(CouncilService.class.getName());

    private final AgentCouncil council;
    private final PrometheusMeterRegistry registry;
    private final ServerLimits limits;
    private final Semaphore slots;
    private volatile boolean stopping;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    /** @param registry the registry the council was built with; {@code /metrics} scrapes it */
    public CouncilService(AgentCouncil council, PrometheusMeterRegistry registry, ServerLimits limits) {
        this.council = Objects.requireNonNull(council, "council");
        this.registry = Objects.requireNonNull(registry, "registry");
        this.limits = Objects.requireNonNull(limits, "limits");
        this.slots = new Semaphore(limits.maxConcurrent());
    }

    AgentCouncil council() {
        return council;
    }

    PrometheusMeterRegistry registry() {
        return registry;
    }

    ServerLimits limits() {
        return limits;
    }

    /** A slot for one chat request; release it with {@link #release()}. */
    void admit() {
        if (stopping) {
            throw new ApiError(503, "the server is shutting down", limits.retryAfter().toSeconds());
        }
        if (!slots.tryAcquire()) {
            throw new ApiError(429, limits.maxConcurrent() + " chat requests are in flight, the most this server takes;"
                    + " retry after " + limits.retryAfter().toSeconds() + " s", limits.retryAfter().toSeconds());
        }
    }

    void release() {
        slots.release();
    }

    /**
     * Refuses new chats, waits up to the shutdown timeout for those in flight, then closes the
     * council (its turns finish, memory drains). Safe to call twice.
     */
    @Override
    public void close() {
        stopping = true;
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        Duration timeout = limits.shutdownTimeout();
        try {
            if (!slots.tryAcquire(limits.maxConcurrent(), timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.log(Level.WARNING, "stopping with chat requests still in flight after " + timeout);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        council.close();
    }
}
