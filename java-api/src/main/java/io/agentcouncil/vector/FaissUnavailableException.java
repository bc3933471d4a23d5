package io.agentcouncil.vector;

/**
 * {@link VectorIndex#faiss} was asked for where this build has no FAISS: the native jar was built
 * without libagentcouncil_faiss (FAISS was not installed where it was built), or the library
 * cannot load here (a shared library it needs, such as libgomp, libblas or liblapack, is missing).
 * The message says which; the cause is the linker's error. {@link VectorIndex#approximate} works
 * everywhere.
 */
public final class FaissUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    FaissUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
