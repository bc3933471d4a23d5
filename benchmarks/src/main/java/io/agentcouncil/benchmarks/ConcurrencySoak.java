package io.agentcouncil.benchmarks;

import io.agentcouncil.AgentCouncil;
import io.agentcouncil.ModelSource;
import io.agentcouncil.Reply;
import io.agentcouncil.memory.MemoryEntry;
import io.agentcouncil.embedding.Embedder;
import io.agentcouncil.memory.Memory;
import io.agentcouncil.template.ChatMessage;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Many sessions chatting at once through one council: each client thread has its own session
 * and its own code word, told in its first turn and asked back later. Checks, while it runs and
 * at the end: no turn fails; no session's history or reply holds another session's code word
 * (cross-talk); resident and heap memory, sampled every 10 s after a GC, stop growing.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.agentcouncil.benchmarks.ConcurrencySoak [sessions] [seconds]
 * </pre>
 *
 * Defaults: 16 sessions for 120 s, Agent-0 and the 0.5B specialist at the default gate, 2
 * threads per evaluation, 32 new tokens per answer. Exits non-zero when a check fails.
 */
public final class ConcurrencySoak {

    private ConcurrencySoak() {}

    public static void main(String[] args) throws Exception {
        int sessions = args.length > 0 ? Integer.parseInt(args[0]) : 16;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 120;
        Memory memory = Memory.builder().embedder(Embedder.miniLm()).build();
        List<String> words = new ArrayList<>();
        for (int i = 0; i < sessions; i++) {
            words.add("zebra" + (char) ('a' + i % 26) + (i / 26) + "x"); // never made up by a model
        }
        AtomicInteger turns = new AtomicInteger();
        AtomicInteger escalated = new AtomicInteger();
        Map<String, Throwable> failures = new ConcurrentHashMap<>();
        AtomicLong crossTalk = new AtomicLong();
        List<long[]> samples = new ArrayList<>();
        long start = System.nanoTime();
        try (AgentCouncil council = AgentCouncil.builder().threads(2).maxNewTokens(32).memory(memory)
                .maxConcurrentTurns(2).maxLiveSessions(sessions)
                .specialist("general", "general questions", ModelSource.roster("qwen2.5-coder-0.5b-instruct")).build()) {
            long deadline = start + Duration.ofSeconds(seconds).toNanos();
            List<Thread> clients = new ArrayList<>();
            for (int i = 0; i < sessions; i++) {
                String session = "soak-" + i;
                String word = words.get(i);
                Thread t = new Thread(() -> {
                    String[] asks = {"My code word is " + word + ". Please remember it.", "What is my code word?",
                            "Tell me a short fact about bees.", "Repeat my code word, please."};
                    for (int n = 0; System.nanoTime() < deadline; n++) {
                        try {
                            Reply r = council.chat(session, asks[n % asks.length]);
                            turns.incrementAndGet();
                            if (r.stages().size() > 1) {
                                escalated.incrementAndGet();
                            }
                            for (String other : words) {
                                if (!other.equals(word) && r.text().contains(other)) {
                                    crossTalk.incrementAndGet();
                                }
                            }
                        } catch (RuntimeException e) {
                            failures.put(session + " turn " + n, e);
                            return;
                        }
                    }
                }, "client-" + i);
                clients.add(t);
                t.start();
            }
            while (clients.stream().anyMatch(Thread::isAlive)) {
                Thread.sleep(10_000);
                System.gc();
                long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
                samples.add(new long[] {(System.nanoTime() - start) / 1_000_000_000L, rssKiB(), heap / 1024, turns.get()});
                long[] s = samples.get(samples.size() - 1);
                System.err.printf("%4d s  turns %5d  rss %7d KiB  heap %7d KiB%n", s[0], s[3], s[1], s[2]);
            }
            for (Thread t : clients) {
                t.join();
            }
            for (int i = 0; i < sessions; i++) {
                for (MemoryEntry m : memory.recent("soak-" + i, Integer.MAX_VALUE)) {
                    for (int j = 0; j < sessions; j++) {
                        if (j != i && m.text().contains(words.get(j))) {
                            crossTalk.incrementAndGet();
                        }
                    }
                }
            }
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        long[] first = samples.get(Math.min(1, samples.size() - 1)); // after warm-up
        long[] last = samples.get(samples.size() - 1);
        System.out.printf("sessions %d, %.0f s: %d turns (%.2f/s), %d escalated, %d failed sessions, %d cross-talk hits%n",
                sessions, elapsed, turns.get(), turns.get() / elapsed, escalated.get(), failures.size(), crossTalk.get());
        System.out.printf("memory after warm-up (t=%d s) -> end (t=%d s): rss %d -> %d KiB, heap %d -> %d KiB%n", first[0], last[0],
                first[1], last[1], first[2], last[2]);
        failures.forEach((where, e) -> System.out.println("FAILED " + where + ": " + e));
        boolean ok = failures.isEmpty() && crossTalk.get() == 0 && turns.get() > 0;
        System.out.println(ok ? "OK" : "FAILED");
        System.exit(ok ? 0 : 1);
    }

    private static long rssKiB() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        return -1;
    }
}
