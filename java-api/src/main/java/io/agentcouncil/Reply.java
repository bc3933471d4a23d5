package io.agentcouncil;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The answer to one message and how it was reached.
 *
 * @param text the reply
 * @param route the tier whose answer it is
 * @param confidence the chosen answer's confidence in [0, 1] (NaN for the cloud)
 * @param degraded true when a better tier was wanted but unavailable (cloud over budget,
 *     failing or not configured while the council stayed below the gate), so the best local
 *     answer was returned; or when memory was known to be failing at the end of the turn (its
 *     store unreachable or its queue full), so the answer may lack memory and the turn may
 *     not be remembered (in write-behind mode a failing store is known from its first failed
 *     write, up to one flush interval after the outage began)
 * @param stages every model consulted, in order, with its own latency and tokens
 * @param policy the council policy that chose among the members; empty when the council did not sit
 * @param latency the whole turn, queueing excluded
 * @param memories what the session's memory put into the prompt beyond the verbatim turns:
 *     facts as {@code "label: value"}, then the recalled earlier messages
 */
public record Reply(String text, Route route, double confidence, boolean degraded, List<Stage> stages, String policy,
        Duration latency, List<String> memories) {

    public Reply {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(route, "route");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(latency, "latency");
        stages = List.copyOf(stages);
        memories = List.copyOf(memories);
    }

    /** This reply with the memory that informed it. */
    Reply withMemory(List<String> lines, boolean memoryDegraded) {
        return new Reply(text, route, confidence, degraded || memoryDegraded, stages, policy, latency, lines);
    }

    /** Prompt tokens all stages read. */
    public int tokensIn() {
        return stages.stream().mapToInt(Stage::tokensIn).sum();
    }

    /** Tokens all stages generated. */
    public int tokensOut() {
        return stages.stream().mapToInt(Stage::tokensOut).sum();
    }

    /** The names of the models consulted, in order. */
    public List<String> modelsConsulted() {
        return stages.stream().map(Stage::model).distinct().toList();
    }

    /** The latency of the first stage of {@code route}, or zero when it did not run. */
    public Duration latencyOf(Route stageRoute) {
        return stages.stream().filter(s -> s.route() == stageRoute).map(Stage::latency).findFirst().orElse(Duration.ZERO);
    }
}
