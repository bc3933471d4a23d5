package io.agentcouncil;

import io.agentcouncil.confidence.ConfidenceEstimator;
import io.agentcouncil.council.Specialist;
import io.agentcouncil.engine.LanguageModel;
import java.io.IOException;
import java.time.Duration;

/**
 * A specialist's model, loaded on first use, once, however many turns ask at the same time;
 * the load time is kept for the metrics and for the stage of the turn that waited for it. A
 * failed load is retried by the next turn that needs the specialist.
 */
final class SpecialistModel {

    /** The model and how long this caller waited for its load (zero when already loaded). */
    record Loaded(LanguageModel model, Duration waited) {}

    final Specialist specialist;
    private final int threads;
    private final ConfidenceEstimator estimator;
    private volatile LanguageModel model;
    private volatile Duration loadTime = Duration.ZERO;
    private volatile String failure;
    private boolean closed;

    SpecialistModel(Specialist specialist, int threads, ConfidenceEstimator estimator) {
        this.specialist = specialist;
        this.threads = threads;
        this.estimator = estimator;
    }

    /** What scores this member's answers. */
    ConfidenceEstimator estimator() {
        return estimator;
    }

    Loaded get() throws IOException {
        LanguageModel m = model;
        if (m != null) {
            return new Loaded(m, Duration.ZERO);
        }
        long start = System.nanoTime();
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("council is closed");
            }
            if (model == null) {
                long t0 = System.nanoTime();
                try {
                    model = specialist.source().load(threads);
                } catch (IOException | RuntimeException e) {
                    failure = String.valueOf(e.getMessage());
                    throw e;
                }
                failure = null;
                loadTime = Duration.ofNanos(System.nanoTime() - t0);
            }
            return new Loaded(model, Duration.ofNanos(System.nanoTime() - start));
        }
    }

    /** How long the load took; zero before it happened. */
    Duration loadTime() {
        return loadTime;
    }

    boolean isLoaded() {
        return model != null;
    }

    /** Why the last load failed, or null if it did not (or none was tried). */
    String failure() {
        return failure;
    }

    synchronized void close() {
        closed = true;
        if (model != null && specialist.source().owned()) {
            model.close();
        }
        model = null;
    }
}
