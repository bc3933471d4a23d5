package io.agentcouncil.vector;

/**
 * One result of {@link VectorIndex#search}: the key the vector was added under and its score,
 * the dot product with the query (the cosine similarity for unit vectors).
 */
public record VectorHit(long key, float score) {
}
