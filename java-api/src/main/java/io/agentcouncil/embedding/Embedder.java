package io.agentcouncil.embedding;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns text into a fixed-length sentence embedding: the SPI under memory recall. Vectors are
 * L2-normalised, so the dot product of two of them is their cosine similarity, which is what the
 * {@link io.agentcouncil.vector.VectorIndex vector indexes} rank by. Implementations are
 * thread-safe.
 */
public interface Embedder extends AutoCloseable {

    /**
     * The shipped default: all-MiniLM-L6-v2 (quantised ONNX, 384 dimensions), run in process
     * from the jar, no network. The model is loaded once per JVM, on the first call.
     */
    static Embedder miniLm() {
        return MiniLmEmbedder.INSTANCE;
    }

    /** The length of every vector this embedder returns. */
    int dimension();

    /** Loads whatever the first {@link #embed} would otherwise load (a model's weights); a no-op by default. */
    default void warmUp() {}

    /**
     * The unit-length embedding of {@code text}.
     *
     * @throws IllegalArgumentException if {@code text} is null or blank
     */
    float[] embed(String text);

    /** The embeddings of {@code texts}, in order. As {@link #embed} for each. */
    default List<float[]> embedAll(List<String> texts) {
        List<float[]> vectors = new ArrayList<>(texts.size());
        for (String text : texts) {
            vectors.add(embed(text));
        }
        return vectors;
    }

    /** Releases what the embedder holds. Never throws; safe to call twice. */
    @Override
    default void close() {
    }
}
