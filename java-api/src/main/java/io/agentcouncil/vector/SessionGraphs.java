package io.agentcouncil.vector;

/**
 * Where an {@link ApproximateVectorIndex} gets its sessions' graphs: JVector's
 * ({@link JVectorGraphs}) or FAISS's ({@link FaissGraphs}), with their search settings.
 */
interface SessionGraphs extends AutoCloseable {

    /** A graph of the first {@code count} (at least 1) of {@code keys} and {@code vectors}, all published. */
    SessionGraph build(int dimension, long[] keys, float[][] vectors, int count);

    /** Releases what the builds share (JVector's thread pool); called once, by the index's close. */
    @Override
    void close();
}
