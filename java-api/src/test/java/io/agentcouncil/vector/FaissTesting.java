package io.agentcouncil.vector;

import org.junit.jupiter.api.Assumptions;

/**
 * Whether the FAISS tests run: always where the build made libagentcouncil_faiss (the faiss
 * Maven profile, on wherever libfaiss-dev is installed, passes agentcouncil.faiss=ON), and then
 * a library that does not load is a failure, not a skip.
 */
final class FaissTesting {

    private FaissTesting() {
    }

    static void requireFaiss() {
        try {
            System.out.println("FAISS: " + FaissLibrary.version());
        } catch (FaissUnavailableException e) {
            if ("ON".equals(System.getProperty("agentcouncil.faiss"))) {
                throw new AssertionError("built with FAISS (agentcouncil.faiss=ON), but it does not load", e);
            }
            Assumptions.abort("built without FAISS: " + e.getMessage());
        }
    }
}
