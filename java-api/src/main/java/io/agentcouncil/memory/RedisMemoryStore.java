package io.agentcouncil.memory;

import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;
import redis.clients.jedis.AbstractTransaction;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.resps.Tuple;
import redis.clients.jedis.util.JedisURIHelper;

/**
 * {@link MemoryStores#redis}: one Redis server (standalone, not a cluster), through a pool of
 * Jedis connections with 2 s connect and read timeouts, so an unreachable server fails a call
 * with {@link MemoryStoreException} (naming {@code host:port}, never credentials) instead of
 * hanging. Opening does not connect; the first call does.
 *
 * <p>Key layout, where {@code P} is the key prefix (default {@code agentcouncil}) and {@code H}
 * is the lowercase hex of the session name's UTF-8 bytes, so no session name is ever read as a
 * pattern, a separator or a hash tag, and no two names share keys:
 * <pre>
 * P:sessions        set of session names (raw UTF-8), for forEachLive and archive
 * P:s:{H}:live      sorted set: score = seq, member = the encoded entry (live entries)
 * P:s:{H}:archive   sorted set: the same, for archived entries
 * P:s:{H}:created   sorted set: score = createdAt epoch ms, member = seq (decimal) of each live
 *                   entry, so archive finds old entries without decoding them
 * </pre>
 * The braces keep one session's keys in one cluster hash slot, as its scripts require.
 *
 * <p>An encoded entry, little-endian: version byte {@code 1}, seq (int64), createdAt epoch ms
 * (int64), role length (int32) and UTF-8 bytes, text length (int32) and UTF-8 bytes, then the
 * embedding as float32 values to the end. The seq inside keeps members distinct.
 *
 * <p>{@link #write} queues one script call per entry in a MULTI/EXEC transaction, so a batch
 * is applied whole and no reader sees half of it; {@link #archive} runs one script per session,
 * which moves that session's old entries atomically. The server should run with
 * {@code maxmemory-policy noeviction}: an evicted key is silently lost memory.
 */
final class RedisMemoryStore implements MemoryStore {

    static final String DEFAULT_PREFIX = "agentcouncil";
    private static final int TIMEOUT_MS = 2000;
    private static final int PAGE = 256;
    private static final byte FORMAT = 1;

    /** KEYS live, archive, created, sessions; ARGV seq, createdAt, entry, session. */
    private static final byte[] WRITE = utf8("""
            if redis.call('ZCOUNT', KEYS[2], ARGV[1], ARGV[1]) > 0 then
              redis.call('ZREMRANGEBYSCORE', KEYS[2], ARGV[1], ARGV[1])
              redis.call('ZADD', KEYS[2], ARGV[1], ARGV[3])
              return 0
            end
            redis.call('ZREMRANGEBYSCORE', KEYS[1], ARGV[1], ARGV[1])
            redis.call('ZADD', KEYS[1], ARGV[1], ARGV[3])
            redis.call('ZADD', KEYS[3], ARGV[2], ARGV[1])
            redis.call('SADD', KEYS[4], ARGV[4])
            return 1
            """);

    /** KEYS live, archive, created; ARGV cutoff epoch ms (exclusive). Returns how many moved. */
    private static final byte[] ARCHIVE = utf8("""
            local seqs = redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', '(' .. ARGV[1])
            for _, seq in ipairs(seqs) do
              local members = redis.call('ZRANGEBYSCORE', KEYS[1], seq, seq)
              redis.call('ZREMRANGEBYSCORE', KEYS[1], seq, seq)
              redis.call('ZREMRANGEBYSCORE', KEYS[2], seq, seq)
              for _, m in ipairs(members) do
                redis.call('ZADD', KEYS[2], seq, m)
              end
              redis.call('ZREM', KEYS[3], seq)
            end
            return #seqs
            """);

    /** KEYS live, archive. Both read at once, so an entry moving between them is never missed. */
    private static final byte[] LAST_SEQ = utf8("""
            local a = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
            local b = redis.call('ZRANGE', KEYS[2], -1, -1, 'WITHSCORES')
            return math.max(tonumber(a[2] or 0), tonumber(b[2] or 0))
            """);

    private final RedisClient client;
    private final String server;
    private final String prefix;
    private final byte[] sessionsKey;
    private volatile boolean closed;

    private RedisMemoryStore(RedisClient client, String server, String prefix) {
        this.client = client;
        this.server = server;
        this.prefix = prefix;
        this.sessionsKey = utf8(prefix + ":sessions");
    }

    /**
     * A store on {@code redis://[user:password@]host[:port][/db]} ({@code rediss://} for TLS),
     * its keys under {@code keyPrefix}.
     */
    static RedisMemoryStore open(URI uri, String keyPrefix) {
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(keyPrefix, "keyPrefix");
        if (!JedisURIHelper.isValid(uri)) {
            // The URI may hold a password: name only its parts that are not secret.
            throw new IllegalArgumentException("not a redis:// or rediss:// URI with a host: scheme "
                    + uri.getScheme() + ", host " + uri.getHost());
        }
        HostAndPort at = JedisURIHelper.getHostAndPort(uri);
        DefaultJedisClientConfig config = DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis(TIMEOUT_MS)
                .socketTimeoutMillis(TIMEOUT_MS)
                .user(JedisURIHelper.getUser(uri))
                .password(JedisURIHelper.getPassword(uri))
                .database(JedisURIHelper.getDBIndex(uri))
                .ssl(JedisURIHelper.isRedisSSLScheme(uri))
                .build();
        ConnectionPoolConfig pool = new ConnectionPoolConfig();
        pool.setMaxTotal(16);
        pool.setMaxIdle(16);
        // A caller waits at most this long for a free connection, never forever.
        pool.setMaxWait(Duration.ofMillis(TIMEOUT_MS));
        // No idle eviction: connections opened before a server restart stay in the pool, so the
        // first call after a restart fails and callers (TieredMemoryStore) learn that the
        // server's data may be gone, rather than meeting an empty server on a fresh connection.
        pool.setTestWhileIdle(false);
        pool.setTimeBetweenEvictionRuns(Duration.ofMillis(-1));
        RedisClient client = RedisClient.builder().hostAndPort(at).clientConfig(config).poolConfig(pool).build();
        return new RedisMemoryStore(client, at.getHost() + ":" + at.getPort(), keyPrefix);
    }

    @Override
    public void write(List<MemoryEntry> entries) {
        entries.forEach(e -> Objects.requireNonNull(e, "entry"));
        checkOpen();
        if (entries.isEmpty()) {
            return;
        }
        call("write " + entries.size() + " entries", () -> {
            try (AbstractTransaction tx = client.multi()) {
                for (MemoryEntry e : entries) {
                    Keys k = keys(e.session());
                    tx.eval(WRITE, List.of(k.live, k.archive, k.created, sessionsKey),
                            List.of(utf8(Long.toString(e.seq())), utf8(Long.toString(e.createdAt().toEpochMilli())),
                                    encode(e), utf8(e.session())));
                }
                for (Object reply : tx.exec()) {
                    if (reply instanceof JedisException failed) {
                        throw failed;
                    }
                }
            }
            return null;
        });
    }

    @Override
    public List<MemoryEntry> recent(String session, int count) {
        if (count < 0) {
            throw new IllegalArgumentException("count must be >= 0, got " + count);
        }
        Keys k = keys(Objects.requireNonNull(session, "session"));
        checkOpen();
        if (count == 0) {
            return List.of();
        }
        return decodeAll(session, call("read", () -> client.zrange(k.live, -count, -1)));
    }

    @Override
    public List<MemoryEntry> entries(String session) {
        Keys k = keys(Objects.requireNonNull(session, "session"));
        checkOpen();
        return decodeAll(session, call("read", () -> client.zrange(k.live, 0, -1)));
    }

    @Override
    public List<MemoryEntry> archived(String session) {
        Keys k = keys(Objects.requireNonNull(session, "session"));
        checkOpen();
        return decodeAll(session, call("read", () -> client.zrange(k.archive, 0, -1)));
    }

    @Override
    public long lastSeq(String session) {
        Keys k = keys(Objects.requireNonNull(session, "session"));
        checkOpen();
        return call("read", () -> (Long) client.eval(LAST_SEQ, List.of(k.live, k.archive), List.of()));
    }

    @Override
    public void forEachLive(Consumer<MemoryEntry> sink) {
        checkOpen();
        for (String session : sessions()) {
            byte[] live = keys(session).live;
            // Page by seq, not by rank, so an archive running meanwhile cannot make us skip entries.
            long after = 0;
            while (true) {
                long from = after;
                List<Tuple> page = call("read", () -> client.zrangeByScoreWithScores(
                        live, utf8("(" + from), utf8("+inf"), 0, PAGE));
                for (Tuple t : page) {
                    sink.accept(decode(session, t.getBinaryElement()));
                    after = (long) t.getScore();
                }
                if (page.size() < PAGE) {
                    break;
                }
            }
        }
    }

    @Override
    public int archive(Instant cutoff) {
        byte[] before = utf8(Long.toString(Objects.requireNonNull(cutoff, "cutoff").toEpochMilli()));
        checkOpen();
        int moved = 0;
        for (String session : sessions()) {
            Keys k = keys(session);
            moved += call("archive entries", () -> (Long) client.eval(ARCHIVE, List.of(k.live, k.archive, k.created), List.of(before)));
        }
        return moved;
    }

    /** Every session ever written, sorted, so a scan visits each once and in a stable order. */
    private List<String> sessions() {
        List<String> names = new ArrayList<>();
        call("read", () -> client.smembers(sessionsKey)).forEach(b -> names.add(new String(b, StandardCharsets.UTF_8)));
        names.sort(null);
        return names;
    }

    private record Keys(byte[] live, byte[] archive, byte[] created) {
    }

    private Keys keys(String session) {
        String base = prefix + ":s:{" + HexFormat.of().formatHex(utf8(session)) + "}:";
        return new Keys(utf8(base + "live"), utf8(base + "archive"), utf8(base + "created"));
    }

    /** Runs one Redis operation, turning Jedis's failures into this SPI's. */
    private <T> T call(String what, Supplier<T> op) {
        try {
            return op.get();
        } catch (JedisException e) {
            if (e instanceof JedisConnectionException) {
                // The server went away: drop the other idle connections too, which are as dead,
                // so the first call after it is back does not fail on a stale one again.
                client.getPool().clear();
            }
            throw new MemoryStoreException("redis at " + server + ": cannot " + what + ": " + e.getMessage(), e);
        }
    }

    static byte[] encode(MemoryEntry e) {
        byte[] role = utf8(e.role());
        byte[] text = utf8(e.text());
        ByteBuffer b = ByteBuffer.allocate(1 + 8 + 8 + 4 + role.length + 4 + text.length + 4 * e.embedding().length)
                .order(ByteOrder.LITTLE_ENDIAN);
        b.put(FORMAT).putLong(e.seq()).putLong(e.createdAt().toEpochMilli());
        b.putInt(role.length).put(role).putInt(text.length).put(text);
        b.asFloatBuffer().put(e.embedding());
        return b.array();
    }

    private MemoryEntry decode(String session, byte[] bytes) {
        try {
            ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
            if (b.get() != FORMAT) {
                throw new IllegalArgumentException("unknown format " + bytes[0]);
            }
            long seq = b.getLong();
            Instant createdAt = Instant.ofEpochMilli(b.getLong());
            String role = string(b);
            String text = string(b);
            if (b.remaining() % 4 != 0) {
                throw new IllegalArgumentException("embedding of " + b.remaining() + " bytes");
            }
            float[] embedding = new float[b.remaining() / 4];
            b.asFloatBuffer().get(embedding);
            return new MemoryEntry(session, seq, role, text, createdAt, embedding);
        } catch (RuntimeException e) {
            throw new MemoryStoreException("redis at " + server + ": corrupt entry of session " + session
                    + " under prefix " + prefix + ": " + e.getMessage(), e);
        }
    }

    private List<MemoryEntry> decodeAll(String session, List<byte[]> members) {
        List<MemoryEntry> out = new ArrayList<>(members.size());
        members.forEach(m -> out.add(decode(session, m)));
        return out;
    }

    private static String string(ByteBuffer b) {
        byte[] bytes = new byte[b.getInt()];
        b.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("memory store is closed");
        }
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            client.close();
        }
    }
}
