package io.agentcouncil.monitoring;

/**
 * Where alert notifications go. Called on the alert evaluation thread, so an implementation
 * returns quickly (a network sink hands the event to its own thread); an exception it throws is
 * counted and logged, never passed on.
 */
@FunctionalInterface
public interface AlertSink {

    void send(AlertEvent event);

    /** The default sink: a {@code System.Logger} line per event, WARNING when firing. */
    static AlertSink log() {
        return LogAlertSink.INSTANCE;
    }
}
