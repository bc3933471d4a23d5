package io.agentcouncil.vector;

class ExactVectorIndexTest extends VectorIndexContractTest {

    @Override
    VectorIndex newIndex(int dimension) {
        return VectorIndex.exact(dimension);
    }
}
