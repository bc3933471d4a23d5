package io.agentcouncil.vector;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertThrows;

/** The contracts on JVector graphs ({@link VectorIndex#approximate}). */
class ApproximateVectorIndexTest extends GraphIndexContractTest {

    @Override
    VectorIndex newIndex(int dimension) {
        return VectorIndex.approximate(dimension);
    }

    @Override
    VectorIndex newIndex(int dimension, int exactBelow) {
        return new ApproximateVectorIndex(dimension, exactBelow, new JVectorGraphs(JVectorGraphs.DEFAULT_BEAM));
    }

    @Test
    void rejectsABeamBelowOne() {
        assertThrows(IllegalArgumentException.class, () -> VectorIndex.approximate(DIM, 0));
    }
}
