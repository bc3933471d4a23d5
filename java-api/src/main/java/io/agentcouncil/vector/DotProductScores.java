package io.agentcouncil.vector;

import io.github.jbellis.jvector.graph.similarity.BuildScoreProvider;
import io.github.jbellis.jvector.graph.similarity.ScoreFunction;
import io.github.jbellis.jvector.graph.similarity.SearchScoreProvider;
import io.github.jbellis.jvector.vector.types.VectorFloat;

/**
 * JVector's exact scores for building (and reranking) our graphs, computed with {@link VectorMath#dot}
 * on the raw float arrays. JVector's own kernel on Java 17 (before its Panama code, which needs
 * Java 20) is a single-accumulator loop, several times slower, and it allocates a wrapper per
 * scored node. Scores are on JVector's DOT_PRODUCT scale, {@code (1 + dot) / 2}.
 */
final class DotProductScores implements BuildScoreProvider {

    private final OrdinalVectors vectors;

    DotProductScores(OrdinalVectors vectors) {
        this.vectors = vectors;
    }

    /** Exact scores against {@code query}. */
    static ScoreFunction.ExactScoreFunction exact(float[] query, OrdinalVectors vectors) {
        return node -> (1 + VectorMath.dot(vectors.raw(node), 0, query)) / 2;
    }

    private SearchScoreProvider searchFor(float[] query) {
        return new SearchScoreProvider(exact(query, vectors));
    }

    @Override
    public boolean isExact() {
        return true;
    }

    @Override
    public VectorFloat<?> approximateCentroid() {
        int n = vectors.size();
        float[] centroid = new float[vectors.dimension()];
        for (int node = 0; node < n; node++) {
            float[] v = vectors.raw(node);
            for (int i = 0; i < centroid.length; i++) {
                centroid[i] += v[i];
            }
        }
        for (int i = 0; i < centroid.length; i++) {
            centroid[i] /= Math.max(1, n);
        }
        return OrdinalVectors.wrap(centroid);
    }

    @Override
    public SearchScoreProvider searchProviderFor(VectorFloat<?> vector) {
        float[] query = new float[vector.length()];
        for (int i = 0; i < query.length; i++) {
            query[i] = vector.get(i);
        }
        return searchFor(query);
    }

    @Override
    public SearchScoreProvider searchProviderFor(int node) {
        return searchFor(vectors.raw(node));
    }

    @Override
    public SearchScoreProvider diversityProviderFor(int node) {
        return searchFor(vectors.raw(node));
    }
}
