package io.agentcouncil.cli;

import io.agentcouncil.AgentCouncil;
import io.agentcouncil.monitoring.Health;

import java.util.List;
import java.util.Map;

/**
 * A council a command has started, with what the CLI knows about it beyond the API: which model
 * each specialist runs. It is also closed when the JVM is stopped (Ctrl-C), because closing is
 * what writes the memory's last turns to its file.
 */
final class RunningCouncil implements AutoCloseable {
    private final AgentCouncil council;
    private final Map<String, String> specialists;
    private final AlertLines alerts;
    private final Thread closeOnExit;

    RunningCouncil(AgentCouncil council, Map<String, String> specialists, AlertLines alerts) {
        this.council = council;
        this.specialists = Map.copyOf(specialists);
        this.alerts = alerts;
        this.closeOnExit = new Thread(this::closeAtExit, "agentcouncil-close");
        Runtime.getRuntime().addShutdownHook(closeOnExit);
    }

    AgentCouncil council() {
        return council;
    }

    AlertLines alerts() {
        return alerts;
    }

    /**
     * The specialists among {@code names} that have not loaded yet, as "general
     * (qwen2.5-coder-0.5b-instruct)"; empty when all have. Health is where the API says so.
     */
    List<String> notLoaded(List<String> names) {
        Map<String, Health.Component> components = council.health().components();
        return names.stream()
                .filter(n -> {
                    Health.Component c = components.get("specialist:" + n);
                    return c != null && !c.state().equals("loaded");
                })
                .map(n -> specialists.containsKey(n) ? n + " (" + specialists.get(n) + ")" : n)
                .toList();
    }

    /** At exit there is no caller left to report to: one line on stderr, as Main reports failures. */
    private void closeAtExit() {
        try {
            council.close();
        } catch (RuntimeException e) {
            System.err.println("error: " + e.getMessage());
        }
    }

    @Override
    public void close() {
        council.close();
        try {
            Runtime.getRuntime().removeShutdownHook(closeOnExit);
        } catch (IllegalStateException e) {
            // The JVM is shutting down: the hook runs, or has run, the same close.
        }
    }
}
