package io.agentcouncil.engine;

import io.agentcouncil.natives.AgentCouncilNative;
import io.agentcouncil.natives.AgentCouncilNative.ContextHandle;

import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.IntPointer;

/**
 * A session of a {@link LocalModel}: one native context (KV cache, scratch, thread pool). Meant
 * for one thread at a time; a lock still serialises its calls, so that {@link LocalModel#close()}
 * from another thread waits for an evaluation in flight instead of freeing memory under it.
 */
public final class LocalSession implements ModelSession {
    private static final int MIN_TOKEN_BUFFER = 512;

    private final LocalModel model;
    private final int capacity;
    private final int nVocab;
    private final ReentrantLock lock = new ReentrantLock();

    // Guarded by lock. ctx is null once closed.
    private ContextHandle ctx;
    private int length;
    private IntPointer tokenBuffer;
    private final FloatPointer lastLogits; // one row, reused by eval

    LocalSession(LocalModel model, ContextHandle ctx, int capacity, int nVocab) {
        this.model = model;
        this.ctx = ctx;
        this.capacity = capacity;
        this.nVocab = nVocab;
        this.tokenBuffer = new IntPointer(MIN_TOKEN_BUFFER);
        this.lastLogits = new FloatPointer(nVocab);
    }

    @Override
    public int vocabularySize() {
        return nVocab;
    }

    @Override
    public int capacity() {
        return capacity;
    }

    @Override
    public int length() {
        lock.lock();
        try {
            return length;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public float[] eval(int[] tokens) {
        lock.lock();
        try {
            stage(tokens);
            check(AgentCouncilNative.ac_eval(ctx, tokenBuffer, tokens.length, 0, lastLogits));
            length += tokens.length;
            float[] out = new float[nVocab];
            lastLogits.get(out);
            return out;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public float[][] evalAll(int[] tokens) {
        lock.lock();
        try {
            stage(tokens);
            try (FloatPointer all = new FloatPointer((long) tokens.length * nVocab)) {
                check(AgentCouncilNative.ac_eval(ctx, tokenBuffer, tokens.length, 1, all));
                length += tokens.length;
                float[][] out = new float[tokens.length][nVocab];
                for (int i = 0; i < tokens.length; i++) {
                    all.position((long) i * nVocab).get(out[i]);
                }
                return out;
            }
        } finally {
            lock.unlock();
        }
    }

    /** Checks tokens in Java (clear messages; native checks again) and copies them to the native buffer. */
    private void stage(int[] tokens) {
        ensureOpen();
        Objects.requireNonNull(tokens, "tokens");
        if (tokens.length == 0) {
            throw new IllegalArgumentException("no tokens to evaluate");
        }
        for (int i = 0; i < tokens.length; i++) {
            if (tokens[i] < 0 || tokens[i] >= nVocab) {
                throw new IllegalArgumentException("token id " + tokens[i] + " at index " + i + " is outside the vocabulary 0.." + (nVocab - 1));
            }
        }
        if (tokens.length > capacity - length) {
            throw new IllegalStateException("context full: " + length + " positions held + " + tokens.length + " new tokens > capacity "
                    + capacity);
        }
        if (tokenBuffer.capacity() < tokens.length) {
            tokenBuffer.close();
            tokenBuffer = new IntPointer(Math.max(tokens.length, 2 * tokenBuffer.capacity()));
        }
        tokenBuffer.position(0).put(tokens, 0, tokens.length);
    }

    @Override
    public void truncate(int keep) {
        lock.lock();
        try {
            ensureOpen();
            if (keep < 0 || keep > length) {
                throw new IllegalArgumentException("keep " + keep + " outside 0.." + length + " (the session's length)");
            }
            check(AgentCouncilNative.ac_kv_truncate(ctx, keep));
            length = keep;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Replaces this session's cache with the first {@code n} positions of {@code source}'s (a
     * session of the same model), e.g. to fork a conversation after a shared prompt.
     *
     * @throws IllegalArgumentException if {@code n} exceeds the source's length or this capacity,
     *     or the source belongs to another model
     * @throws IllegalStateException if either session is closed
     */
    public void copyFrom(LocalSession source, int n) {
        Objects.requireNonNull(source, "source");
        if (source == this) {
            truncate(n);
            return;
        }
        // A fixed lock order, so that two sessions copying from each other cannot deadlock.
        LocalSession first = System.identityHashCode(this) <= System.identityHashCode(source) ? this : source;
        LocalSession second = first == this ? source : this;
        first.lock.lock();
        second.lock.lock();
        try {
            ensureOpen();
            source.ensureOpen();
            if (source.model != model) {
                throw new IllegalArgumentException("source session belongs to model " + source.model.name() + ", not " + model.name());
            }
            if (n < 0 || n > source.length || n > capacity) {
                throw new IllegalArgumentException("n " + n + " outside 0.." + Math.min(source.length, capacity)
                        + " (source length " + source.length + ", capacity " + capacity + ")");
            }
            check(AgentCouncilNative.ac_kv_copy(source.ctx, ctx, n));
            length = n;
        } finally {
            second.lock.unlock();
            first.lock.unlock();
        }
    }

    /** Whether {@link #close()} has run. */
    public boolean isClosed() {
        lock.lock();
        try {
            return ctx == null;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            if (ctx == null) {
                return;
            }
            AgentCouncilNative.ac_context_free(ctx);
            ctx.setNull();
            ctx = null;
            tokenBuffer.close();
            lastLogits.close();
        } finally {
            lock.unlock();
        }
        model.sessionClosed(this);
    }

    private void ensureOpen() {
        if (ctx == null) {
            throw new IllegalStateException("session is closed");
        }
    }

    private static void check(int status) {
        if (status != AgentCouncilNative.AC_OK) {
            throw NativeStatus.forSession(status);
        }
    }
}
