package io.agentcouncil.monitoring;

import java.util.Map;
import java.util.Objects;

/**
 * The engine's health, for a load balancer or a readiness probe.
 *
 * <p>{@code status} is the worst of the components' ({@code DOWN} if any is, else
 * {@code DEGRADED} if any is). {@code score} is 0 when DOWN, else 100 less 20 per degraded
 * component (at least 10), so two DEGRADED engines can still be ranked.
 *
 * @param components each component's health by name, in a stable order
 */
public record Health(Status status, int score, Map<String, Component> components) {

    public enum Status { UP, DEGRADED, DOWN }

    /**
     * One component.
     *
     * @param state  what it is doing, in a word or two: {@code loaded}, {@code lazy}, {@code failed},
     *               {@code reachable}, {@code unreachable}, {@code cpu}, {@code firing}, ...
     * @param detail a line for a human; empty when there is nothing to add
     */
    public record Component(Status status, String state, String detail) {
        public Component {
            Objects.requireNonNull(status, "status");
            Objects.requireNonNull(state, "state");
            Objects.requireNonNull(detail, "detail");
        }
    }

    public Health {
        Objects.requireNonNull(status, "status");
        components = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(components));
    }

    /** The health of {@code components} by the rule of the class comment. */
    public static Health of(Map<String, Component> components) {
        long degraded = components.values().stream().filter(c -> c.status() == Status.DEGRADED).count();
        boolean down = components.values().stream().anyMatch(c -> c.status() == Status.DOWN);
        Status status = down ? Status.DOWN : degraded > 0 ? Status.DEGRADED : Status.UP;
        int score = down ? 0 : (int) Math.max(10, 100 - 20 * degraded);
        return new Health(status, score, components);
    }
}
