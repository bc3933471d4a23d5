package io.agentcouncil.benchmarks;

import io.agentcouncil.memory.Memory;
import io.agentcouncil.memory.MemoryStores;
import io.agentcouncil.template.ChatMessage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Sustained write throughput of memory into a SQLite file, in entries per second: each
 * operation remembers {@value #BATCH} entries over {@value #SESSIONS} sessions and then waits
 * for {@link Memory#flush()}, so what is measured is entries committed, not just queued.
 * {@code writeBehind} goes through the queue (batched transactions); {@code synchronous}
 * commits every entry before acknowledging it ({@value #SYNC_BATCH} per operation). No
 * embedder: embedding is measured by the recall benchmarks.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 5, time = 5)
@Fork(1)
public class MemoryWriteBenchmark {

    static final int BATCH = 10_000;
    static final int SESSIONS = 100;
    static final int SYNC_BATCH = 100;

    /** A fresh SQLite file per trial, written through memory in one durability mode. */
    abstract static class Db {
        Path dir;
        Memory memory;
        final List<List<ChatMessage>> messages = new ArrayList<>();

        void open(Memory.Durability durability) throws IOException {
            dir = Files.createTempDirectory("memory-bench");
            memory = Memory.builder().store(MemoryStores.sqlite(dir.resolve("memory.db"))).durability(durability).build();
            for (int i = 0; i < BATCH; i++) {
                messages.add(List.of(ChatMessage.user("entry " + i + ": the user said something of ordinary length here.")));
            }
        }

        @TearDown(Level.Trial)
        public void close() throws IOException {
            memory.close();
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @State(Scope.Benchmark)
    public static class BehindDb extends Db {
        @Setup(Level.Trial)
        public void open() throws IOException {
            open(Memory.Durability.WRITE_BEHIND);
        }
    }

    @State(Scope.Benchmark)
    public static class SyncDb extends Db {
        @Setup(Level.Trial)
        public void open() throws IOException {
            open(Memory.Durability.SYNCHRONOUS);
        }
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void writeBehind(BehindDb db) {
        for (int i = 0; i < BATCH; i++) {
            db.memory.remember("session-" + (i % SESSIONS), db.messages.get(i));
        }
        db.memory.flush();
    }

    @Benchmark
    @OperationsPerInvocation(SYNC_BATCH)
    public void synchronous(SyncDb db) {
        for (int i = 0; i < SYNC_BATCH; i++) {
            db.memory.remember("session-" + (i % SESSIONS), db.messages.get(i));
        }
    }
}
