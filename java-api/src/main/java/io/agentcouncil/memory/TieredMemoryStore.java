package io.agentcouncil.memory;

import java.lang.System.Logger.Level;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * {@link MemoryStores#tiered}: a fast hot store (Redis) in front of a durable one (SQLite). The
 * durable store is the truth: writes go to it first, then to the hot store; {@link #lastSeq},
 * {@link #forEachLive} and {@link #archived} read it; {@link #archive} applies to both.
 *
 * <p>{@link #recent} and {@link #entries} read the hot store only for a session whose hot copy
 * is known to match: it was checked against the durable store (and refilled from it) since the
 * hot store last failed, and both still agree on its {@code lastSeq}, which catches a hot server
 * that restarted empty. Any other read is served by the durable store while the session is
 * refilled.
 *
 * <p>When the hot store fails ({@link MemoryStoreException}), this store carries on with the
 * durable one alone and is {@link #degraded()}; it retries the hot store at most once a second
 * and recovers without a restart. Every session is then checked again before the hot store
 * serves it, so what was written while it was down is never missing.
 */
public final class TieredMemoryStore implements MemoryStore {

    private static final System.Logger LOG = System.getLogger(TieredMemoryStore.class.getName());
    private static final long RETRY_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final MemoryStore hot;
    private final MemoryStore durable;
    // Serialises writes, archives, refills and recovery, so a refill never copies an entry
    // that a concurrent write is replacing, nor lands between a write's two stores.
    private final Object lock = new Object();
    // Bumped on every hot failure (under the lock, so never during a refill): a session is
    // trusted in the hot store only if it was checked in the current epoch.
    private volatile long epoch;
    private final Map<String, Long> checked = new ConcurrentHashMap<>();
    private volatile boolean down;
    private volatile long nextProbe;
    // The latest archive cutoff the hot store missed, applied to it when it is back.
    private Instant missedArchive;

    TieredMemoryStore(MemoryStore hot, MemoryStore durable) {
        this.hot = Objects.requireNonNull(hot, "hot");
        this.durable = Objects.requireNonNull(durable, "durable");
    }

    /**
     * Whether the hot store is unreachable, so that every call is served by the durable store
     * alone. Asking retries the hot store when a retry is due, so a health check sees recovery.
     */
    @Override
    public boolean degraded() {
        return !hotUp();
    }

    @Override
    public void write(List<MemoryEntry> entries) {
        synchronized (lock) {
            durable.write(entries);
            if (hotUp()) {
                try {
                    hot.write(entries);
                } catch (MemoryStoreException e) {
                    hotFailed(e);
                }
            }
        }
    }

    @Override
    public List<MemoryEntry> recent(String session, int count) {
        if (count < 0) {
            throw new IllegalArgumentException("count must be >= 0, got " + count);
        }
        return read(session, store -> store.recent(session, count));
    }

    @Override
    public List<MemoryEntry> entries(String session) {
        return read(session, store -> store.entries(session));
    }

    private List<MemoryEntry> read(String session, Function<MemoryStore, List<MemoryEntry>> op) {
        Objects.requireNonNull(session, "session");
        if (hotUp() && inSync(session)) {
            try {
                return op.apply(hot);
            } catch (MemoryStoreException e) {
                hotFailed(e);
            }
        }
        return op.apply(durable);
    }

    /**
     * Whether the hot store may serve the session, refilling it from the durable one if not. A
     * failing durable store fails the call: nothing else can vouch for the hot copy.
     */
    private boolean inSync(String session) {
        Long at = checked.get(session);
        if (at != null && at == epoch) {
            long truth = durable.lastSeq(session);
            try {
                if (hot.lastSeq(session) == truth) {
                    return true;
                }
            } catch (MemoryStoreException e) {
                hotFailed(e);
                return false;
            }
        }
        refill(session);
        return false;
    }

    /**
     * Copies to the hot store the session's live entries that it lacks or holds differently, and
     * marks the session checked if the two then match. A hot copy that holds live entries the
     * durable store does not (it cannot delete them) stays unchecked and is never read.
     */
    private void refill(String session) {
        synchronized (lock) {
            List<MemoryEntry> truth = durable.entries(session);
            long truthSeq = durable.lastSeq(session);
            try {
                Map<Long, MemoryEntry> cached = new HashMap<>();
                hot.entries(session).forEach(e -> cached.put(e.seq(), e));
                List<MemoryEntry> missing = new ArrayList<>();
                for (MemoryEntry e : truth) {
                    MemoryEntry c = cached.remove(e.seq());
                    if (c == null || !same(c, e)) {
                        missing.add(e);
                    }
                }
                if (!missing.isEmpty()) {
                    hot.write(missing);
                }
                if (cached.isEmpty() && hot.lastSeq(session) == truthSeq) {
                    checked.put(session, epoch);
                }
            } catch (MemoryStoreException e) {
                hotFailed(e);
            }
        }
    }

    private static boolean same(MemoryEntry a, MemoryEntry b) {
        return a.seq() == b.seq() && a.role().equals(b.role()) && a.text().equals(b.text())
                && a.createdAt().toEpochMilli() == b.createdAt().toEpochMilli()
                && Arrays.equals(a.embedding(), b.embedding());
    }

    @Override
    public long lastSeq(String session) {
        return durable.lastSeq(session);
    }

    @Override
    public void forEachLive(Consumer<MemoryEntry> sink) {
        durable.forEachLive(sink);
    }

    @Override
    public int archive(Instant cutoff) {
        Objects.requireNonNull(cutoff, "cutoff");
        synchronized (lock) {
            int moved = durable.archive(cutoff);
            if (hotUp()) {
                try {
                    hot.archive(cutoff);
                    return moved;
                } catch (MemoryStoreException e) {
                    hotFailed(e);
                }
            }
            if (missedArchive == null || cutoff.isAfter(missedArchive)) {
                missedArchive = cutoff;
            }
            return moved;
        }
    }

    @Override
    public List<MemoryEntry> archived(String session) {
        return durable.archived(session);
    }

    /** Whether to use the hot store now: it is up, or it is down and a retry succeeds. */
    private boolean hotUp() {
        if (!down) {
            return true;
        }
        if (System.nanoTime() - nextProbe < 0) {
            return false;
        }
        synchronized (lock) {
            if (!down || System.nanoTime() - nextProbe < 0) {
                return !down;
            }
            try {
                // The retry does the one thing the hot store missed that a refill cannot: archive.
                if (missedArchive != null) {
                    hot.archive(missedArchive);
                    missedArchive = null;
                } else {
                    hot.lastSeq("");
                }
            } catch (MemoryStoreException e) {
                nextProbe = System.nanoTime() + RETRY_NANOS;
                return false;
            }
            down = false;
            LOG.log(Level.INFO, "hot memory store is back; sessions are refilled from the durable store as they are read");
            return true;
        }
    }

    private void hotFailed(MemoryStoreException e) {
        synchronized (lock) {
            epoch++;
            nextProbe = System.nanoTime() + RETRY_NANOS;
            if (!down) {
                down = true;
                LOG.log(Level.WARNING, "hot memory store failed, serving from the durable store alone: " + e.getMessage());
            }
        }
    }

    @Override
    public void close() {
        try {
            hot.close();
        } finally {
            durable.close();
        }
    }
}
