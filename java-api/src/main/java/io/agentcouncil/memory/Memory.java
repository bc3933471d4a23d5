package io.agentcouncil.memory;

import io.agentcouncil.embedding.Embedder;
import io.agentcouncil.template.ChatMessage;
import io.agentcouncil.vector.VectorHit;
import io.agentcouncil.vector.VectorIndex;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.ToIntFunction;

/**
 * Sessions' memory: what was said, kept in a {@link MemoryStore}, embedded and indexed for
 * recall, compressed for the prompt. The council owns one; it can also be used on its own.
 *
 * <p>Writes are acknowledged per {@link Durability}: in write-behind mode (the default) once
 * they are in a bounded queue that a background thread flushes every 0.5 s; in synchronous
 * mode once their transaction has committed. Recall and context only ever read the session
 * they are asked about: the vector index is partitioned by session, so another session's
 * entries are never candidates.
 *
 * <p>Each session touched is held on the heap (its entries and their vectors) so that reads do
 * not wait for the queue; beyond {@code maxSessions} the least recently used sessions with
 * nothing left to write are dropped and re-read from the store when next used. One store
 * should be written by one {@code Memory} at a time.
 */
public final class Memory implements AutoCloseable {

    /** When a write is acknowledged. */
    public enum Durability {
        /** Once queued; a crash can lose the last flush interval (see {@link #flushInterval}). */
        WRITE_BEHIND,
        /** Once its transaction has committed; nothing acknowledged is lost by a crash. */
        SYNCHRONOUS
    }

    /** A recalled entry and its cosine similarity to the query. */
    public record Recollection(MemoryEntry entry, float score) {}

    private final MemoryStore store;
    private final Embedder embedder;
    private final boolean embedderOwned;
    private final VectorIndex index;
    private final Duration archiveAfter;
    private final Duration flushTimeout;
    private final Clock clock;
    private final int maxSessions;
    private final ContextCompressor compressor;
    private final ToIntFunction<String> tokens;
    private final int recallTopK;
    private final float recallMinScore;
    private final DistributionSummary compressionRatio;
    private final WriteBehind writeBehind;
    private final ScheduledExecutorService maintenance;
    private final Timer recallLatency;
    private final Timer embedLatency;

    private final Object lock = new Object();
    private final Map<String, SessionLog> sessions = new LinkedHashMap<>(16, 0.75f, true); // LRU first
    private boolean closed;
    private volatile boolean storeDegraded;

    /** A session's entries on the heap, in seq order; guarded by itself. */
    private static final class SessionLog {
        final String id;
        final List<MemoryEntry> entries = new ArrayList<>();
        long lastSeq;
        int pending; // queued, not yet committed: such a session is never evicted
        boolean loaded;
        CompressedHistory older = CompressedHistory.EMPTY; // entries that left the verbatim window
        long olderTokens;
        boolean evicted; // a writer holding an evicted log starts again with the session's new one

        SessionLog(String id) {
            this.id = id;
        }

        MemoryEntry bySeq(long seq) {
            int lo = 0;
            int hi = entries.size() - 1;
            while (lo <= hi) {
                int mid = (lo + hi) >>> 1;
                long s = entries.get(mid).seq();
                if (s == seq) {
                    return entries.get(mid);
                }
                if (s < seq) {
                    lo = mid + 1;
                } else {
                    hi = mid - 1;
                }
            }
            return null;
        }
    }

    private Memory(Builder b) {
        store = b.store != null ? b.store : MemoryStores.inMemory();
        embedder = b.embedder;
        // Load the model now: the write-behind worker embeds what it flushes, and a first load
        // left to a flush during JVM shutdown can fail, losing the entries of that flush.
        if (embedder != null) {
            embedder.warmUp();
        }
        embedderOwned = b.embedderOwned;
        index = b.index != null ? b.index : embedder != null ? VectorIndex.exact(embedder.dimension()) : null;
        archiveAfter = b.archiveAfter;
        flushTimeout = b.flushTimeout;
        clock = b.clock;
        maxSessions = b.maxSessions;
        tokens = b.tokenCounter;
        compressor = new ContextCompressor(tokens, b.summaryTokens);
        recallTopK = b.recallTopK;
        recallMinScore = b.recallMinScore;
        MeterRegistry registry = b.registry != null ? b.registry : new SimpleMeterRegistry();
        recallLatency = Timer.builder("memory.recall.latency").description("Vector search of one session's memory")
                .publishPercentiles(0.5, 0.95, 0.99).register(registry);
        embedLatency = Timer.builder("memory.embedding.latency").description("Embedding one recall query")
                .publishPercentiles(0.5, 0.95).register(registry);
        compressionRatio = DistributionSummary.builder("memory.compression.ratio")
                .description("Tokens of a session's history over tokens of what its prompt carries instead")
                .publishPercentiles(0.5, 0.95).register(registry);
        writeBehind = b.durability == Durability.WRITE_BEHIND
                ? new WriteBehind(store, b.queueCapacity, b.flushInterval, b.offerTimeout, this::embed, this::written)
                : null;
        Gauge.builder("scratchpad.entries.queue", this, m -> m.writeBehind != null ? m.writeBehind.depth() : 0)
                .description("Memory entries acknowledged but not yet written to the store").register(registry);
        maintenance = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "agentcouncil-memory-maintenance");
            t.setDaemon(true);
            return t;
        });
        long compact = b.compactEvery.toMillis();
        maintenance.scheduleWithFixedDelay(this::compactQuietly, compact, compact, TimeUnit.MILLISECONDS);
        maintenance.scheduleWithFixedDelay(this::checkStore, 0, 1, TimeUnit.SECONDS);
        // Archived once now, before any session is read, so nothing due is ever recalled.
        archiveQuietly();
        long archive = b.archiveEvery.toMillis();
        maintenance.scheduleWithFixedDelay(this::archiveQuietly, archive, archive, TimeUnit.MILLISECONDS);
    }

    public static Builder builder() {
        return new Builder();
    }

    // ---- writing ----------------------------------------------------------------------------

    /**
     * Remembers the messages as the session's next entries, in order, acknowledged per the
     * durability mode.
     *
     * @return the entries as numbered
     * @throws MemoryFullException in write-behind mode when the queue stays full for the offer timeout
     * @throws MemoryStoreException in synchronous mode when the store cannot commit them
     */
    public List<MemoryEntry> remember(String session, List<ChatMessage> messages) {
        Objects.requireNonNull(session, "session");
        Objects.requireNonNull(messages, "messages");
        while (true) {
            SessionLog log = log(session);
            synchronized (log) {
                if (log.evicted) {
                    continue;
                }
                return append(log, messages);
            }
        }
    }

    private List<MemoryEntry> append(SessionLog log, List<ChatMessage> messages) {
        Instant now = clock.instant();
        List<MemoryEntry> entries = new ArrayList<>(messages.size());
        long seq = log.lastSeq;
        for (ChatMessage m : messages) {
            entries.add(new MemoryEntry(log.id, ++seq, m.role(), m.content(), now, null));
        }
        if (writeBehind != null) {
            writeBehind.offer(entries);
            log.pending += entries.size();
        } else {
            embed(entries);
            store.write(entries);
            entries.forEach(this::indexAdd);
        }
        log.entries.addAll(entries);
        log.lastSeq = seq;
        return List.copyOf(entries);
    }

    /** Embeds the entries that have no vector yet, in place; on failure they stay without one. */
    private void embed(List<MemoryEntry> batch) {
        if (embedder == null) {
            return;
        }
        List<Integer> missing = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            if (!batch.get(i).hasEmbedding()) {
                missing.add(i);
                texts.add(batch.get(i).text());
            }
        }
        if (texts.isEmpty()) {
            return;
        }
        try {
            List<float[]> vectors = embedder.embedAll(texts);
            for (int j = 0; j < missing.size(); j++) {
                int i = missing.get(j);
                batch.set(i, batch.get(i).withEmbedding(vectors.get(j)));
            }
        } catch (RuntimeException e) {
            // Stored without a vector; it is embedded when the session is next loaded.
        }
    }

    /** After a write-behind batch has committed: index it and release its sessions. */
    private void written(List<MemoryEntry> batch) {
        for (MemoryEntry e : batch) {
            SessionLog log;
            synchronized (lock) {
                log = sessions.get(e.session());
            }
            if (log == null) {
                continue;
            }
            synchronized (log) {
                log.pending--;
                indexAdd(e);
            }
        }
    }

    private void indexAdd(MemoryEntry e) {
        if (index != null && e.hasEmbedding() && e.embedding().length == index.dimension()) {
            index.add(e.session(), e.seq(), e.embedding());
        }
    }

    /**
     * Waits until every write acknowledged so far is committed to the store.
     *
     * @throws MemoryStoreException if the store does not take them within the flush timeout
     */
    public void flush() {
        checkOpen();
        if (writeBehind != null) {
            writeBehind.flush(flushTimeout);
        }
    }

    // ---- reading ----------------------------------------------------------------------------

    /** The session's last {@code count} entries, oldest first, including those still queued. */
    public List<MemoryEntry> recent(String session, int count) {
        if (count < 0) {
            throw new IllegalArgumentException("count must be >= 0, got " + count);
        }
        SessionLog log = log(Objects.requireNonNull(session, "session"));
        synchronized (log) {
            int n = log.entries.size();
            return List.copyOf(log.entries.subList(Math.max(0, n - count), n));
        }
    }

    /** All of the session's live entries, oldest first. */
    public List<MemoryEntry> entries(String session) {
        return recent(session, Integer.MAX_VALUE);
    }

    /**
     * The session's {@code k} entries most similar to {@code query} with cosine similarity of at
     * least {@code minScore}, best first; empty without an embedder. Entries still in the
     * write-behind queue are found once their batch is written.
     */
    public List<Recollection> recall(String session, String query, int k, float minScore) {
        Objects.requireNonNull(query, "query");
        if (k < 1) {
            throw new IllegalArgumentException("k must be >= 1, got " + k);
        }
        SessionLog log = log(Objects.requireNonNull(session, "session"));
        if (index == null) {
            return List.of();
        }
        long t0 = System.nanoTime();
        float[] q = embedder.embed(query);
        long t1 = System.nanoTime();
        List<VectorHit> hits = index.search(session, q, k, minScore);
        recallLatency.record(System.nanoTime() - t1, TimeUnit.NANOSECONDS);
        embedLatency.record(t1 - t0, TimeUnit.NANOSECONDS);
        List<Recollection> out = new ArrayList<>(hits.size());
        synchronized (log) {
            for (VectorHit h : hits) {
                MemoryEntry e = log.bySeq(h.key());
                if (e != null) {
                    out.add(new Recollection(e, h.score()));
                }
            }
        }
        return out;
    }

    /**
     * What a prompt carries of a session's memory: the last {@code verbatimEntries} entries as
     * they are, the older ones compressed (facts and a short summary), and the user's earlier
     * messages most similar to {@code message} that are not already verbatim.
     *
     * @param verbatim the last entries, oldest first
     * @param older the compressed form of everything before them
     * @param recalled the user's earlier messages recalled for this one, best first
     * @param compressionRatio tokens of the whole history over tokens of {@link #render()} plus
     *     the verbatim entries (1 for a history that fits the window)
     */
    public record Context(List<MemoryEntry> verbatim, CompressedHistory older, List<Recollection> recalled,
            double compressionRatio) {

        public Context {
            verbatim = List.copyOf(verbatim);
            recalled = List.copyOf(recalled);
        }

        /** The block for the system prompt; empty when memory has nothing beyond the verbatim turns. */
        public String render() {
            StringBuilder b = new StringBuilder(older.render());
            if (!recalled.isEmpty()) {
                b.append(b.length() > 0 ? "\n" : "").append("Earlier messages of the user that may be relevant:");
                for (Recollection r : recalled) {
                    b.append("\n- ").append(r.entry().text());
                }
            }
            return b.toString();
        }
    }

    /**
     * The session's memory for a prompt answering {@code message}; see {@link Context}. Each
     * call folds the entries that have left the window into the session's compressed history,
     * so the work per turn is the new entries only.
     */
    public Context context(String session, String message, int verbatimEntries) {
        Objects.requireNonNull(message, "message");
        if (verbatimEntries < 0) {
            throw new IllegalArgumentException("verbatimEntries must be >= 0, got " + verbatimEntries);
        }
        SessionLog log = log(Objects.requireNonNull(session, "session"));
        List<MemoryEntry> verbatim;
        CompressedHistory older;
        long olderTokens;
        synchronized (log) {
            int cut = Math.max(0, log.entries.size() - verbatimEntries);
            List<MemoryEntry> newlyOld = new ArrayList<>();
            for (int i = cut - 1; i >= 0 && log.entries.get(i).seq() > log.older.throughSeq(); i--) {
                newlyOld.add(0, log.entries.get(i));
            }
            if (!newlyOld.isEmpty()) {
                log.older = compressor.add(log.older, newlyOld);
                for (MemoryEntry e : newlyOld) {
                    log.olderTokens += tokens.applyAsInt(e.text());
                }
            }
            verbatim = List.copyOf(log.entries.subList(cut, log.entries.size()));
            older = log.older;
            olderTokens = log.olderTokens;
        }
        long firstVerbatim = verbatim.isEmpty() ? Long.MAX_VALUE : verbatim.get(0).seq();
        List<Recollection> recalled = new ArrayList<>();
        if (olderTokens > 0 && recallTopK > 0) {
            // Ask for more than needed: assistant replies and verbatim entries are dropped.
            for (Recollection r : recall(session, message, 4 * recallTopK, recallMinScore)) {
                if (r.entry().seq() < firstVerbatim && r.entry().role().equals("user") && recalled.size() < recallTopK) {
                    recalled.add(r);
                }
            }
        }
        long verbatimTokens = 0;
        for (MemoryEntry e : verbatim) {
            verbatimTokens += tokens.applyAsInt(e.text());
        }
        Context c = new Context(verbatim, older, recalled, 1.0);
        double ratio = olderTokens == 0 ? 1.0
                : (double) (olderTokens + verbatimTokens) / Math.max(1, tokens.applyAsInt(c.render()) + verbatimTokens);
        if (olderTokens > 0) {
            compressionRatio.record(ratio);
        }
        return new Context(verbatim, older, recalled, ratio);
    }

    /** The session's archived entries, oldest first: what recall no longer sees. */
    public List<MemoryEntry> exportArchive(String session) {
        checkOpen();
        flush();
        return store.archived(Objects.requireNonNull(session, "session"));
    }

    /**
     * True when memory is not fully working: the store's last write failed (acknowledged writes
     * wait in the queue and are retried) or the store reported itself degraded at its last
     * check. The check runs every second on the maintenance thread, never on the caller's: a
     * store may probe its backend to answer it (the tiered store retries a down hot tier).
     */
    public boolean degraded() {
        return (writeBehind != null && writeBehind.failing()) || storeDegraded;
    }

    private void checkStore() {
        try {
            storeDegraded = store.degraded();
        } catch (RuntimeException e) {
            storeDegraded = true;
        }
    }

    /** Entries acknowledged but not yet committed. */
    public int queueDepth() {
        return writeBehind != null ? writeBehind.depth() : 0;
    }

    // ---- sessions on the heap ---------------------------------------------------------------

    /**
     * The session's log, loaded from the store on first use (outside the map lock, so a slow
     * store stalls only this session).
     *
     * @throws MemoryStoreException if the store cannot be read; the next call tries again
     */
    private SessionLog log(String session) {
        SessionLog log;
        synchronized (lock) {
            checkOpenLocked();
            log = sessions.get(session);
            if (log == null) {
                log = new SessionLog(session);
                sessions.put(session, log);
                evictBeyondLimit();
            }
        }
        synchronized (log) {
            if (!log.loaded) {
                load(log);
                log.loaded = true;
            }
        }
        return log;
    }

    private void load(SessionLog log) {
        List<MemoryEntry> stored = new ArrayList<>(store.entries(log.id));
        embed(stored);
        for (MemoryEntry e : stored) {
            indexAdd(e);
        }
        log.entries.addAll(stored);
        log.lastSeq = store.lastSeq(log.id);
    }

    private void evictBeyondLimit() {
        for (var it = sessions.values().iterator(); it.hasNext() && sessions.size() > maxSessions; ) {
            SessionLog lru = it.next();
            synchronized (lru) {
                if (lru.pending == 0) {
                    if (index != null) {
                        lru.entries.forEach(e -> index.remove(lru.id, e.seq()));
                    }
                    lru.evicted = true;
                    it.remove();
                }
            }
        }
    }

    // ---- maintenance ------------------------------------------------------------------------

    /**
     * Moves entries older than the archive age to the store's archive now (it also runs on a
     * schedule): they are no longer recalled nor in the prompt, and {@link #exportArchive}
     * still returns them.
     *
     * @return how many entries moved
     */
    public int archiveNow() {
        flush();
        Instant cutoff = clock.instant().minus(archiveAfter);
        int moved = store.archive(cutoff);
        List<SessionLog> loaded;
        synchronized (lock) {
            loaded = new ArrayList<>(sessions.values());
        }
        for (SessionLog log : loaded) {
            synchronized (log) {
                if (!log.entries.isEmpty() && log.entries.get(0).createdAt().isBefore(cutoff)) {
                    // Refolded from what is still live, so archived facts leave the prompt too.
                    log.older = CompressedHistory.EMPTY;
                    log.olderTokens = 0;
                }
                for (var it = log.entries.iterator(); it.hasNext(); ) {
                    MemoryEntry e = it.next();
                    if (e.createdAt().isBefore(cutoff)) {
                        if (index != null) {
                            index.remove(log.id, e.seq());
                        }
                        it.remove();
                    }
                }
            }
        }
        return moved;
    }

    private void archiveQuietly() {
        try {
            archiveNow();
        } catch (RuntimeException e) {
            // The store is down or memory is closing: the next run archives what is due.
        }
    }

    private void compactQuietly() {
        try {
            if (index != null) {
                index.compact();
            }
        } catch (RuntimeException e) {
            // Searches keep working on the uncompacted index; the next run retries.
        }
    }

    private void checkOpen() {
        synchronized (lock) {
            checkOpenLocked();
        }
    }

    private void checkOpenLocked() {
        if (closed) {
            throw new IllegalStateException("memory is closed");
        }
    }

    /**
     * Writes everything acknowledged (waiting up to the flush timeout), then closes the index,
     * the embedder if this memory created it, and the store. Safe to call twice.
     *
     * @throws MemoryStoreException naming how many entries could not be written, if the store
     *     was down to the end
     */
    @Override
    public void close() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
        }
        maintenance.shutdownNow();
        try {
            if (writeBehind != null) {
                writeBehind.close(flushTimeout);
            }
        } finally {
            if (index != null) {
                index.close();
            }
            if (embedderOwned) {
                embedder.close();
            }
            store.close();
        }
    }

    /** Memory's configuration; every field has a default. */
    public static final class Builder {
        private MemoryStore store;
        private Embedder embedder;
        private boolean embedderOwned;
        private VectorIndex index;
        private Durability durability = Durability.WRITE_BEHIND;
        private int queueCapacity = 10_000;
        private Duration flushInterval = Duration.ofMillis(500);
        private Duration offerTimeout = Duration.ofSeconds(2);
        private Duration flushTimeout = Duration.ofSeconds(30);
        private Duration compactEvery = Duration.ofSeconds(30);
        private Duration archiveAfter = Duration.ofDays(30);
        private Duration archiveEvery = Duration.ofHours(1);
        private int maxSessions = 10_000;
        private ToIntFunction<String> tokenCounter = Builder::words;
        private int summaryTokens = 96;
        private int recallTopK = 3;
        private float recallMinScore = 0.3f;
        private Clock clock = Clock.systemUTC();
        private MeterRegistry registry;

        private Builder() {
        }

        /** Where entries are kept (default {@link MemoryStores#inMemory()}); memory closes it. */
        public Builder store(MemoryStore store) {
            this.store = Objects.requireNonNull(store, "store");
            return this;
        }

        /** The sentence embedder for recall; stays open after memory closes (the caller owns it). */
        public Builder embedder(Embedder embedder) {
            this.embedder = Objects.requireNonNull(embedder, "embedder");
            this.embedderOwned = false;
            return this;
        }

        /** Recall with the default embedder (all-MiniLM-L6-v2), which memory loads and closes. */
        public Builder defaultEmbedder() {
            this.embedder = Embedder.miniLm();
            this.embedderOwned = true;
            return this;
        }

        /**
         * The vector index (default {@link VectorIndex#exact} at the embedder's dimension);
         * memory closes it. Needs an embedder of the same dimension.
         */
        public Builder index(VectorIndex index) {
            this.index = Objects.requireNonNull(index, "index");
            return this;
        }

        public Builder durability(Durability durability) {
            this.durability = Objects.requireNonNull(durability, "durability");
            return this;
        }

        /** Entries the write-behind queue holds before writers block (default 10,000). */
        public Builder queueCapacity(int entries) {
            if (entries < 1) {
                throw new IllegalArgumentException("queueCapacity must be >= 1, got " + entries);
            }
            this.queueCapacity = entries;
            return this;
        }

        /** How often the write-behind queue is written (default 0.5 s). */
        public Builder flushInterval(Duration interval) {
            this.flushInterval = positive(interval, "flushInterval");
            return this;
        }

        /** How long a writer waits for room in a full queue before {@link MemoryFullException} (default 2 s). */
        public Builder offerTimeout(Duration timeout) {
            this.offerTimeout = positive(timeout, "offerTimeout");
            return this;
        }

        /** How long {@link #flush()} and {@link #close()} wait for the store (default 30 s). */
        public Builder flushTimeout(Duration timeout) {
            this.flushTimeout = positive(timeout, "flushTimeout");
            return this;
        }

        /** How often the vector index is compacted (default 30 s). */
        public Builder compactEvery(Duration every) {
            this.compactEvery = positive(every, "compactEvery");
            return this;
        }

        /** Entries older than this are archived (default 30 days). */
        public Builder archiveAfter(Duration age) {
            this.archiveAfter = positive(age, "archiveAfter");
            return this;
        }

        /** How often archiving runs (default hourly, and once at start). */
        public Builder archiveEvery(Duration every) {
            this.archiveEvery = positive(every, "archiveEvery");
            return this;
        }

        /** Sessions held on the heap at once (default 10,000). */
        public Builder maxSessions(int sessions) {
            if (sessions < 1) {
                throw new IllegalArgumentException("maxSessions must be >= 1, got " + sessions);
            }
            this.maxSessions = sessions;
            return this;
        }

        /**
         * Counts tokens for the summary budget and the compression ratio (default: words and
         * punctuation marks, about a tokenizer's count for English; the council passes Agent-0's).
         */
        public Builder tokenCounter(ToIntFunction<String> counter) {
            this.tokenCounter = Objects.requireNonNull(counter, "counter");
            return this;
        }

        /** At most this many tokens of summary lines in the prompt (default 96). */
        public Builder summaryTokens(int tokens) {
            if (tokens < 0) {
                throw new IllegalArgumentException("summaryTokens must be >= 0, got " + tokens);
            }
            this.summaryTokens = tokens;
            return this;
        }

        /**
         * How many earlier user messages {@link #context} recalls (default 3), and the cosine
         * similarity they need (default 0.3: on the planted-fact suite all-MiniLM-L6-v2 scores
         * a question and the statement that answers it from 0.37 up, mostly above 0.5).
         */
        public Builder recall(int topK, double minScore) {
            if (topK < 0) {
                throw new IllegalArgumentException("recall topK must be >= 0, got " + topK);
            }
            if (!(minScore >= -1 && minScore <= 1)) {
                throw new IllegalArgumentException("recall minScore must be in [-1, 1], got " + minScore);
            }
            this.recallTopK = topK;
            this.recallMinScore = (float) minScore;
            return this;
        }

        private static int words(String text) {
            int n = 0;
            boolean inWord = false;
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (Character.isLetterOrDigit(c)) {
                    if (!inWord) {
                        n++;
                    }
                    inWord = true;
                } else {
                    inWord = false;
                    if (!Character.isWhitespace(c)) {
                        n++;
                    }
                }
            }
            return n;
        }

        /** The clock that stamps entries and decides their age (default UTC system clock). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        public Builder meterRegistry(MeterRegistry registry) {
            this.registry = Objects.requireNonNull(registry, "registry");
            return this;
        }

        /**
         * @throws IllegalArgumentException if an index is given without an embedder or at
         *     another dimension
         */
        public Memory build() {
            if (index != null && (embedder == null || embedder.dimension() != index.dimension())) {
                throw new IllegalArgumentException("the vector index has dimension " + index.dimension()
                        + (embedder == null ? " but there is no embedder" : " but the embedder makes " + embedder.dimension()));
            }
            return new Memory(this);
        }

        private static Duration positive(Duration d, String name) {
            Objects.requireNonNull(d, name);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be positive, got " + d);
            }
            return d;
        }
    }
}
