package io.agentcouncil;

import java.time.Duration;
import java.util.Objects;

/**
 * One model's part in a turn: Agent-0's answer, each council member's, the chair's, the cloud's.
 *
 * @param route the tier it belongs to
 * @param model the model's name
 * @param text what it answered (may be cut short, see {@code note})
 * @param confidence its confidence in [0, 1]; NaN where none is known (the cloud)
 * @param tokensIn prompt tokens it read (for a local model: evaluated, not reused from cache)
 * @param tokensOut tokens it generated
 * @param latency wall time of its answer, load time excluded
 * @param loadTime the time its weights took to load in this turn, zero when already loaded
 * @param note empty, or why it is special: "stopped early", "over budget", an error
 */
public record Stage(Route route, String model, String text, double confidence, int tokensIn, int tokensOut,
        Duration latency, Duration loadTime, String note) {

    public Stage {
        Objects.requireNonNull(route, "route");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(latency, "latency");
        Objects.requireNonNull(loadTime, "loadTime");
        Objects.requireNonNull(note, "note");
    }
}
