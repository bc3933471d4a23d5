package io.agentcouncil.engine;

import io.agentcouncil.natives.AgentCouncilNative;

/** Turns a failed {@code ac_*} status into the exception its meaning calls for. */
final class NativeStatus {
    private NativeStatus() {}

    /** This thread's ac_last_error() message with the status name, e.g. "ac_eval: ... [AC_ERR_CONTEXT_FULL]". */
    static String message(int status) {
        String detail = AgentCouncilNative.ac_last_error();
        return (detail == null || detail.isEmpty() ? "native call failed" : detail)
                + " [" + AgentCouncilNative.ac_status_name(status) + "]";
    }

    /** For calls on a live session: bad input is the caller's mistake, anything else a state of the engine. */
    static RuntimeException forSession(int status) {
        String message = message(status);
        if (status == AgentCouncilNative.AC_ERR_INVALID_ARGUMENT) {
            return new IllegalArgumentException(message);
        }
        if (status == AgentCouncilNative.AC_ERR_OUT_OF_MEMORY) {
            return new IllegalStateException("native memory exhausted: " + message);
        }
        return new IllegalStateException(message);
    }
}
