package io.agentcouncil.memory;

class InMemoryStoreTest extends MemoryStoreContract {

    @Override
    MemoryStore open() {
        return MemoryStores.inMemory();
    }
}
