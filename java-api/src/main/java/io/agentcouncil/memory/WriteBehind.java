package io.agentcouncil.memory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * The write-behind queue: entries are acknowledged once they are in a bounded in-process queue,
 * and one background thread writes them to the store every flush interval, in batches of up to
 * {@link #MAX_BATCH}, each batch one transaction.
 *
 * <p>What a crash can lose: the entries still in the queue, at most one flush interval's worth
 * plus the batch being written. A clean {@link #close()} loses nothing while the store is up.
 *
 * <p>When the store fails, the batch is kept and retried every interval (in order, so nothing
 * is reordered or duplicated); writers go on being acknowledged until the queue is full, then
 * {@link #offer} blocks up to its timeout and throws {@link MemoryFullException}.
 */
final class WriteBehind implements AutoCloseable {

    static final int MAX_BATCH = 5_000;

    private final MemoryStore store;
    private final Consumer<List<MemoryEntry>> beforeWrite;
    private final Consumer<List<MemoryEntry>> afterWrite;
    private final BlockingQueue<MemoryEntry> queue;
    private final int capacity;
    private final Duration interval;
    private final Duration offerTimeout;
    private final Thread worker;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();
    private final Condition written = lock.newCondition();
    private long enqueued; // guarded by lock
    private long committed; // guarded by lock
    private boolean flushRequested; // guarded by lock
    private boolean closing; // guarded by lock
    private volatile int inFlight;
    private volatile RuntimeException lastFailure;

    /**
     * @param beforeWrite runs on the worker before each batch is written (e.g. embeds it); it
     *     may replace the batch's entries in place
     * @param afterWrite runs on the worker after each batch has committed
     */
    WriteBehind(MemoryStore store, int capacity, Duration interval, Duration offerTimeout,
            Consumer<List<MemoryEntry>> beforeWrite, Consumer<List<MemoryEntry>> afterWrite) {
        this.store = store;
        this.capacity = capacity;
        this.interval = interval;
        this.offerTimeout = offerTimeout;
        this.beforeWrite = beforeWrite;
        this.afterWrite = afterWrite;
        this.queue = new ArrayBlockingQueue<>(capacity);
        worker = new Thread(this::run, "agentcouncil-memory-flush");
        worker.setDaemon(true);
        worker.start();
    }

    /**
     * Queues the entries in order, all or none; returns once they are queued.
     *
     * @throws MemoryFullException when the queue stays full for the offer timeout
     */
    void offer(List<MemoryEntry> entries) {
        lock.lock();
        try {
            if (closing) {
                throw new IllegalStateException("memory is closed");
            }
            if (entries.size() > capacity) {
                throw new IllegalArgumentException(entries.size() + " entries at once exceed the queue's capacity " + capacity);
            }
            // All or none: the lock makes this the only producer, so room seen stays room.
            long deadline = System.nanoTime() + offerTimeout.toNanos();
            while (queue.remainingCapacity() < entries.size()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new MemoryFullException(capacity, offerTimeout, lastFailure);
                }
                flushRequested = true;
                wake.signal();
                written.awaitNanos(Math.min(left, TimeUnit.MILLISECONDS.toNanos(50)));
            }
            queue.addAll(entries);
            enqueued += entries.size();
            if (queue.size() >= MAX_BATCH) {
                wake.signal();
            }
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            throw new MemoryStoreException("interrupted while waiting for room in the memory queue", ie);
        } finally {
            lock.unlock();
        }
    }

    /** Entries acknowledged but not yet committed: the {@code scratchpad_entries_queue} gauge. */
    int depth() {
        return queue.size() + inFlight;
    }

    /** The store's last write failed and its batch is waiting to be retried. */
    boolean failing() {
        return lastFailure != null;
    }

    /**
     * Waits until everything queued before this call is committed.
     *
     * @throws MemoryStoreException if that does not happen within {@code timeout} (the store is down)
     */
    void flush(Duration timeout) {
        lock.lock();
        try {
            long target = enqueued;
            long deadline = System.nanoTime() + timeout.toNanos();
            flushRequested = true;
            wake.signal();
            while (committed < target) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new MemoryStoreException((target - committed) + " memory entries are not written after "
                            + timeout.toMillis() + " ms" + (lastFailure != null ? ": " + lastFailure.getMessage() : ""),
                            lastFailure);
                }
                written.awaitNanos(left);
            }
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            throw new MemoryStoreException("interrupted while flushing memory", ie);
        } finally {
            lock.unlock();
        }
    }

    private void run() {
        List<MemoryEntry> batch = new ArrayList<>(MAX_BATCH);
        while (true) {
            lock.lock();
            try {
                while (!closing && !flushRequested && queue.size() < MAX_BATCH) {
                    if (wake.awaitNanos(interval.toNanos()) <= 0) {
                        break;
                    }
                }
                flushRequested = false;
                if (closing && queue.isEmpty() && batch.isEmpty()) {
                    return;
                }
            } catch (InterruptedException ie) {
                return;
            } finally {
                lock.unlock();
            }
            // Write until the queue is empty (or the store fails), not just one batch per tick.
            while (true) {
                if (batch.isEmpty()) {
                    queue.drainTo(batch, MAX_BATCH);
                }
                if (batch.isEmpty()) {
                    break;
                }
                inFlight = batch.size();
                try {
                    beforeWrite.accept(batch);
                    store.write(batch);
                    lastFailure = null;
                } catch (RuntimeException e) {
                    lastFailure = e;
                    break; // keep the batch; retry it next interval
                }
                afterWrite.accept(batch);
                inFlight = 0; // before flush() can return: the gauge reads 0 once it does
                lock.lock();
                try {
                    committed += batch.size();
                    written.signalAll();
                } finally {
                    lock.unlock();
                }
                batch.clear();
            }
            if (lastFailure != null) {
                try {
                    Thread.sleep(interval.toMillis()); // the store is down: retry at the flush pace
                } catch (InterruptedException ie) {
                    return; // close() gave up waiting and reports what is left
                }
            }
        }
    }

    /**
     * Writes what is queued, waiting up to {@code timeout}, and stops the worker.
     *
     * @throws MemoryStoreException naming how many entries could not be written
     */
    void close(Duration timeout) {
        lock.lock();
        try {
            if (closing) {
                return;
            }
            closing = true;
            wake.signal();
        } finally {
            lock.unlock();
        }
        try {
            worker.join(timeout.toMillis());
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
        }
        worker.interrupt();
        int left = depth();
        if (left > 0) {
            throw new MemoryStoreException(left + " memory entries could not be written before close"
                    + (lastFailure != null ? ": " + lastFailure.getMessage() : ""), lastFailure);
        }
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(30));
    }
}
