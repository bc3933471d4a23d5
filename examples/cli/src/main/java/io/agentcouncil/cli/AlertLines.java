package io.agentcouncil.cli;

import io.agentcouncil.monitoring.AlertEvent;
import io.agentcouncil.monitoring.AlertSink;

import java.io.PrintWriter;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Alerts held until the command can show them without cutting into an answer: the evaluator
 * fires on its own thread, at any moment, and a line in the middle of a streamed reply (or of
 * the line being typed) would garble both.
 */
final class AlertLines implements AlertSink {
    private final Queue<String> pending = new ConcurrentLinkedQueue<>();

    @Override
    public void send(AlertEvent event) {
        pending.add(event.text());
    }

    /** Prints and forgets the alerts that fired or resolved since the last call. */
    void drainTo(PrintWriter err) {
        for (String line; (line = pending.poll()) != null; ) {
            err.println("alert " + line);
        }
        err.flush();
    }
}
