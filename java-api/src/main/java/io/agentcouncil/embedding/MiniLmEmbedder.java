package io.agentcouncil.embedding;

import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;

/**
 * all-MiniLM-L6-v2 through langchain4j's in-process ONNX model (tokenizer and weights in its
 * jar). langchain4j keeps the ONNX session in a static field, so the model is loaded once per
 * class loader whatever the number of embedders; hence one shared instance, and a {@code close}
 * that has nothing to release. ONNX Runtime sessions accept concurrent runs, so so does this.
 */
final class MiniLmEmbedder implements Embedder {

    static final MiniLmEmbedder INSTANCE = new MiniLmEmbedder();

    private static final int DIMENSION = 384;

    // Created on first use (the holder idiom): loading the model takes about a second.
    private static final class Model {
        // Runnable::run: langchain4j would otherwise start its own pool for embedAll, which
        // nothing could shut down; ONNX Runtime already spreads one text over the cores.
        static final AllMiniLmL6V2QuantizedEmbeddingModel ONNX = new AllMiniLmL6V2QuantizedEmbeddingModel(Runnable::run);
    }

    private MiniLmEmbedder() {
    }

    @Override
    public int dimension() {
        return DIMENSION;
    }

    @Override
    public void warmUp() {
        Model.ONNX.hashCode(); // initialises the holder
    }

    @Override
    public float[] embed(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("cannot embed " + (text == null ? "null" : "blank text"));
        }
        float[] vector = Model.ONNX.embed(text).content().vector();
        // langchain4j normalises today, but unit length is this interface's promise, not theirs.
        return normalise(vector);
    }

    private static float[] normalise(float[] vector) {
        double sum = 0;
        for (float x : vector) {
            sum += (double) x * x;
        }
        if (!(sum > 0) || Double.isInfinite(sum)) {
            throw new IllegalStateException("the model returned a vector with no direction");
        }
        float scale = (float) (1 / Math.sqrt(sum));
        for (int i = 0; i < vector.length; i++) {
            vector[i] *= scale;
        }
        return vector;
    }
}
