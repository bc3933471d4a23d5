package io.agentcouncil.vector;

import io.agentcouncil.natives.AgentCouncilFaiss;

/**
 * libagentcouncil_faiss, loaded once per JVM, and the meaning of its status codes.
 */
final class FaissLibrary {

    private static final String VERSION;
    private static final Throwable LOAD_FAILURE;

    static {
        String version = null;
        Throwable failure = null;
        try {
            version = AgentCouncilFaiss.ac_faiss_version();
        } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
            failure = e;
        }
        VERSION = version;
        LOAD_FAILURE = failure;
    }

    private FaissLibrary() {
    }

    /**
     * "faiss 1.7.3, avx2 inner product".
     *
     * @throws FaissUnavailableException if the library is not in this build or cannot load
     */
    static String version() {
        if (LOAD_FAILURE != null) {
            throw new FaissUnavailableException("FAISS is not available: libagentcouncil_faiss is in builds of"
                    + " agentcouncil-native made where libfaiss-dev is installed, and loads where libgomp, libblas and"
                    + " liblapack are; VectorIndex.approximate needs neither (" + LOAD_FAILURE + ")", LOAD_FAILURE);
        }
        return VERSION;
    }

    /** Nothing if {@code status} is AC_FAISS_OK, else the exception its meaning calls for. */
    static void check(int status) {
        if (status == AgentCouncilFaiss.AC_FAISS_OK) {
            return;
        }
        String detail = AgentCouncilFaiss.ac_faiss_last_error();
        String message = (detail == null || detail.isEmpty() ? "native call failed" : detail)
                + " [" + AgentCouncilFaiss.ac_faiss_status_name(status) + "]";
        if (status == AgentCouncilFaiss.AC_FAISS_ERR_INVALID_ARGUMENT) {
            throw new IllegalArgumentException(message);
        }
        if (status == AgentCouncilFaiss.AC_FAISS_ERR_OUT_OF_MEMORY) {
            throw new IllegalStateException("native memory exhausted: " + message);
        }
        throw new IllegalStateException(message);
    }
}
