package io.agentcouncil.monitoring;

import java.lang.System.Logger.Level;

/** Alert notifications as log lines on {@code io.agentcouncil.alerts}. */
final class LogAlertSink implements AlertSink {
    static final LogAlertSink INSTANCE = new LogAlertSink();
    private static final System.Logger LOG = System.getLogger("io.agentcouncil.alerts");

    private LogAlertSink() {}

    @Override
    public void send(AlertEvent event) {
        LOG.log(event.state() == AlertState.FIRING ? Level.WARNING : Level.INFO, event.text());
    }

    @Override
    public String toString() {
        return "log";
    }
}
