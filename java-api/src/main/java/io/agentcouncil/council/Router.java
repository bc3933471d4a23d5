package io.agentcouncil.council;

import java.util.List;

/** Picks the specialists that answer a message Agent-0 was unsure of. Thread-safe. */
@FunctionalInterface
public interface Router {

    /**
     * The names of the specialists to consult, best first; never empty when {@code specialists}
     * is not.
     */
    List<String> route(String message, List<SpecialistInfo> specialists);
}
