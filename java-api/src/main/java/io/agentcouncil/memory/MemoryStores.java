package io.agentcouncil.memory;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;

/** The stores that ship with AgentCouncil. */
public final class MemoryStores {

    private MemoryStores() {
    }

    /** A store in this JVM's heap only: nothing survives a restart. */
    public static MemoryStore inMemory() {
        return new InMemoryStore();
    }

    /**
     * The embedded default: one SQLite file (created with its schema if absent, migrated if
     * older), in WAL mode. See {@link SqliteMemoryStore}.
     */
    public static MemoryStore sqlite(Path file) {
        return SqliteMemoryStore.open(file);
    }

    /**
     * A Redis server, its keys under the prefix {@code agentcouncil}. Opening does not connect;
     * a call that cannot reach the server fails with {@link MemoryStoreException} within its
     * 2 s timeouts. See {@link RedisMemoryStore} for the key layout.
     */
    public static MemoryStore redis(String host, int port) {
        try {
            // This constructor brackets an IPv6 host, which concatenation would not.
            return redis(new URI("redis", null, host, port, null, null, null));
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a host name: " + host, e);
        }
    }

    /** As {@link #redis(URI, String)}, with the key prefix {@code agentcouncil}. */
    public static MemoryStore redis(URI uri) {
        return redis(uri, RedisMemoryStore.DEFAULT_PREFIX);
    }

    /**
     * A Redis server at {@code redis://[user:password@]host[:port][/db]} ({@code rediss://} for
     * TLS), its keys under {@code keyPrefix}, so several deployments can share one database.
     */
    public static MemoryStore redis(URI uri, String keyPrefix) {
        return RedisMemoryStore.open(uri, keyPrefix);
    }

    /**
     * {@code hot} (Redis) in front of {@code durable} (SQLite), which stays the truth: the store
     * keeps working, {@linkplain MemoryStore#degraded() degraded}, while {@code hot} is down, and
     * recovers when it is back. See {@link TieredMemoryStore}.
     */
    public static TieredMemoryStore tiered(MemoryStore hot, MemoryStore durable) {
        return new TieredMemoryStore(hot, durable);
    }
}
