package io.agentcouncil.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a JVM that is writing memory with SIGKILL at random moments, many times over one
 * database file: in synchronous mode every acknowledged entry survives; in write-behind mode
 * only entries acknowledged within the last flush window (plus the batch being written) may
 * be lost; SQLite's integrity check passes after every kill.
 */
class MemoryCrashTest {

    static final int KILLS = 10;
    /** The flush interval (0.5 s) plus time for the batch in flight to commit. */
    static final long WINDOW_NANOS = TimeUnit.MILLISECONDS.toNanos(500 + 300);

    @TempDir
    Path dir;

    record Ack(String run, long i, long nanos) {}

    @Test
    void synchronousModeLosesNoAcknowledgedEntry() throws Exception {
        Path db = dir.resolve("sync.db");
        Random random = new Random(1);
        for (int k = 0; k < KILLS; k++) {
            List<Ack> acks = runAndKill(db, Memory.Durability.SYNCHRONOUS, "s" + k, 300 + random.nextInt(1200));
            assertTrue(acks.size() > 0, "the writer acknowledged something before kill " + k);
            Set<String> stored = storedTexts(db);
            for (Ack a : acks) {
                assertTrue(stored.contains(a.run + " " + a.i), "acknowledged entry " + a.run + " " + a.i + " lost at kill " + k);
            }
        }
    }

    @Test
    void writeBehindLosesAtMostTheLastFlushWindow() throws Exception {
        Path db = dir.resolve("behind.db");
        Random random = new Random(2);
        long maxLost = 0;
        long maxLostWindowMs = 0;
        for (int k = 0; k < KILLS; k++) {
            long[] killedAt = new long[1];
            List<Ack> acks = runAndKill(db, Memory.Durability.WRITE_BEHIND, "w" + k, 600 + random.nextInt(1500), killedAt);
            assertTrue(acks.size() > 0, "the writer acknowledged something before kill " + k);
            Set<String> stored = storedTexts(db);
            long lost = 0;
            long oldestLost = Long.MAX_VALUE;
            for (Ack a : acks) {
                if (!stored.contains(a.run + " " + a.i)) {
                    lost++;
                    oldestLost = Math.min(oldestLost, a.nanos);
                }
            }
            if (lost > 0) {
                long window = killedAt[0] - oldestLost;
                maxLostWindowMs = Math.max(maxLostWindowMs, TimeUnit.NANOSECONDS.toMillis(window));
                assertTrue(window <= WINDOW_NANOS, "kill " + k + " lost " + lost + " entries acknowledged up to "
                        + TimeUnit.NANOSECONDS.toMillis(window) + " ms before the kill");
            }
            maxLost = Math.max(maxLost, lost);
        }
        System.out.printf("write-behind crash test: %d kills, at most %d entries lost, acknowledged at most %d ms before the kill%n",
                KILLS, maxLost, maxLostWindowMs);
    }

    private List<Ack> runAndKill(Path db, Memory.Durability mode, String run, long afterMs) throws Exception {
        return runAndKill(db, mode, run, afterMs, new long[1]);
    }

    private List<Ack> runAndKill(Path db, Memory.Durability mode, String run, long afterMs, long[] killedAt) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), CrashWriter.class.getName(),
                db.toString(), mode.name(), run).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        List<Ack> acks = new ArrayList<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    if (line.startsWith("ack ")) {
                        String[] f = line.split(" ");
                        synchronized (acks) {
                            acks.add(new Ack(f[1], Long.parseLong(f[2]), System.nanoTime()));
                        }
                    } else if (line.equals("ready")) {
                        synchronized (acks) {
                            acks.notifyAll();
                        }
                    }
                }
            } catch (java.io.IOException ignored) {
                // The pipe closes when the process dies.
            }
        });
        reader.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        synchronized (acks) {
            while (acks.isEmpty() && System.nanoTime() < deadline && p.isAlive()) {
                acks.wait(50);
            }
        }
        assertTrue(p.isAlive(), "the writer died on its own, exit " + (p.isAlive() ? "" : p.exitValue()));
        Thread.sleep(afterMs);
        killedAt[0] = System.nanoTime();
        p.destroyForcibly(); // SIGKILL on Linux: no shutdown hook, no close()
        assertTrue(p.waitFor(10, TimeUnit.SECONDS));
        assertEquals(137, p.exitValue(), "killed by SIGKILL");
        reader.join(10_000);
        synchronized (acks) {
            return new ArrayList<>(acks);
        }
    }

    private static Set<String> storedTexts(Path db) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("PRAGMA integrity_check")) {
                rs.next();
                assertEquals("ok", rs.getString(1), "integrity check after a kill");
            }
        }
        Set<String> texts = new HashSet<>();
        try (MemoryStore store = MemoryStores.sqlite(db)) {
            for (MemoryEntry e : store.entries("crash")) {
                texts.add(e.text());
            }
        }
        return texts;
    }
}
