package io.agentcouncil.vector;

import io.github.jbellis.jvector.graph.similarity.BuildScoreProvider;
import io.github.jbellis.jvector.graph.similarity.ScoreFunction;
import io.github.jbellis.jvector.graph.similarity.SearchScoreProvider;
import io.github.jbellis.jvector.vector.VectorizationProvider;
import io.github.jbellis.jvector.vector.types.VectorFloat;

/**
 * JVector's scores for building and searching our graphs, computed with {@link VectorMath#dot}
 * on the raw float arrays. JVector's own kernel on Java 17 (before its Panama code, which needs
 * Java 20) is a single-accumulator loop, several times slower, and it allocates a wrapper per
 * scored node. Scores are on JVector's DOT_PRODUCT scale, {@code (1 + dot) / 2}.
 */
final class DotProductScores implements BuildScoreProvider {

    private final OrdinalVectors vectors;

    DotProductScores(OrdinalVectors vectors) {
        this.vectors = vectors;
    }

    /** The score function of a search for {@code query}. */
    static SearchScoreProvider searchFor(float[] query, OrdinalVectors vectors) {
        ScoreFunction.ExactScoreFunction score = node -> (1 + VectorMath.dot(vectors.raw(node), 0, query)) / 2;
        return new SearchScoreProvider(score);
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
        return VectorizationProvider.getInstance().getVectorTypeSupport().createFloatVector(centroid);
    }

    @Override
    public SearchScoreProvider searchProviderFor(VectorFloat<?> vector) {
        float[] query = new float[vector.length()];
        for (int i = 0; i < query.length; i++) {
            query[i] = vector.get(i);
        }
        return searchFor(query, vectors);
    }

    @Override
    public SearchScoreProvider searchProviderFor(int node) {
        return searchFor(vectors.raw(node), vectors);
    }

    @Override
    public SearchScoreProvider diversityProviderFor(int node) {
        return searchFor(vectors.raw(node), vectors);
    }
}
