package io.agentcouncil.examples.http;

import io.agentcouncil.AgentCouncil;
import io.agentcouncil.ModelSource;
import io.agentcouncil.engine.LanguageModel;
import io.agentcouncil.engine.LocalModel;
import io.agentcouncil.models.ModelRoster;
import io.agentcouncil.monitoring.Alerting;
import io.javalin.Javalin;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.ref.WeakReference;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@value #CLIENTS} clients streaming {@code GET /chat/stream} for {@value #RUN_SECONDS} s against
 * the real SmolLM2 Agent-0: every stream answers 200 and ends with {@code done} (but those its
 * client drops on purpose), none has an {@code error} event, and afterwards the server is back where it started: its threads, its
 * file descriptors, no connection left open on its port.
 *
 * <p>The council evaluates two turns at a time (one model thread each, two cores), so the
 * streams queue; that is the point of a soak, not a failure. A client's session has three turns
 * (a first message and two follow-ups, whose history the council replays), then it starts a new
 * one; with {@value #CLIENTS} clients the council's live-session limit (16) evicts caches all the
 * time. One stream in five is dropped by its client after the first event (a closed browser
 * tab): the server must notice, finish the turn and release the connection. Clients start
 * streams for {@value #RUN_SECONDS} s, then wait for those in flight (the queue drains).
 *
 * <p>Threads: Jetty's pool grows to serve the clients, and by default an idle pool thread waits
 * 60 s and the pool lets one go per 60 s; the test gives the started server's pool an idle
 * timeout of 1 s and lets it evict every idle thread per period, so that "back to the baseline"
 * can be checked in seconds. Besides the total, no thread that did not exist before may be left
 * but Jetty pool threads (at most its minimum, which it keeps). The clients' own threads (the
 * test's, java.net.http's) are stopped first: the JDK 17 client has no close(), it closes its
 * connections and its selector thread once it is unreachable and collected.
 */
class SseSoakTest {
    static final int CLIENTS = 50;
    static final int RUN_SECONDS = 60;
    /** Threads that may come and go on their own (the JIT's, the common pool's, the GC's). */
    static final int THREAD_TOLERANCE = 3;
    /** Jars and classes opened by the first run of a code path; sockets are checked exactly. */
    static final int FD_TOLERANCE = 8;

    private static final ModelRoster ROSTER = ModelRoster.get();
    private static final String[] PROMPTS = {"Hi", "Say hello.", "What is two plus two?", "Name a colour."};

    /** Outcome of the run's streams. */
    private static final class Tally {
        final AtomicInteger streams = new AtomicInteger();
        final AtomicInteger dropped = new AtomicInteger();
        final AtomicLong events = new AtomicLong();
        final AtomicLong tokens = new AtomicLong();
        final ConcurrentLinkedQueue<Long> nanos = new ConcurrentLinkedQueue<>();
        final ConcurrentLinkedQueue<Double> turnMillis = new ConcurrentLinkedQueue<>();
        final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    }

    @Test
    void fiftyStreamingClientsForAMinuteWithoutErrorsOrLeaks() throws Exception {
        RosterModels.require(RosterModels.SMOLLM2);
        LanguageModel smollm = LocalModel.load(ROSTER.pathOf(ROSTER.find(RosterModels.SMOLLM2).orElseThrow()), 2);
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        AgentCouncil council = AgentCouncil.builder().agent0(ModelSource.instance(smollm)).threads(1)
                .confidenceGate(0).maxNewTokens(4)
                .meterRegistry(registry).alerting(Alerting.builder().sinks().build()).build();
        CouncilService service = new CouncilService(council, registry,
                ServerLimits.fromEnvironment(Map.of()).withMaxConcurrent(64));
        Javalin app = AgentCouncilHttp.create(ROSTER, service);
        QueuedThreadPool pool = (QueuedThreadPool) app.jettyServer().server().getThreadPool();
        pool.setIdleTimeout(1000); // set before the start: Jetty refuses it on a running pool
        pool.setMaxEvictCount(1000);
        app.start("127.0.0.1", 0);
        try {
            URI base = URI.create("http://127.0.0.1:" + app.port());

            // Warm-up: every thread of the server that lasts (the council's turn pool, memory's
            // writer, Jetty's minimum) exists before the baseline is taken.
            Tally warm = new Tally();
            runClients(base, 2, Duration.ofSeconds(1), warm);
            assertTrue(warm.failures.isEmpty(), "warm-up: " + warm.failures);
            settle(pool);
            Map<Long, String> threadsBefore = threads();
            List<String> fdsBefore = fds();

            Tally run = new Tally();
            AtomicInteger peakPool = new AtomicInteger();
            ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
            sampler.scheduleAtFixedRate(() -> peakPool.accumulateAndGet(pool.getThreads(), Math::max), 0, 100, TimeUnit.MILLISECONDS);
            long t0 = System.nanoTime();
            runClients(base, CLIENTS, Duration.ofSeconds(Integer.getInteger("soak.seconds", RUN_SECONDS)), run);
            double seconds = (System.nanoTime() - t0) / 1e9;
            sampler.shutdown();
            assertTrue(sampler.awaitTermination(5, TimeUnit.SECONDS));

            long s0 = System.nanoTime();
            settle(pool);
            BooleanSupplier back = () -> threads().size() <= threadsBefore.size() + THREAD_TOLERANCE
                    && fds().size() <= fdsBefore.size() + FD_TOLERANCE
                    && sockets(fds()) <= sockets(fdsBefore) && openConnections(app.port()).isEmpty();
            await(back, Duration.ofSeconds(15));
            double settleSeconds = (System.nanoTime() - s0) / 1e9;
            Map<Long, String> threadsAfter = threads();
            List<String> fdsAfter = fds();

            List<Long> times = new ArrayList<>(run.nanos);
            Collections.sort(times);
            System.out.printf(Locale.ROOT, "SSE soak: %d clients, %.0f s: %d streams completed, %d events (%d tokens), %d dropped by their client,"
                            + " stream p50 %.0f ms p95 %.0f ms (the turn itself p50 %.0f ms), %d failures; Jetty pool peak %d threads;"
                            + " after %.1f s settle: threads %d -> %d, fds %d -> %d (sockets %d -> %d); load average %.1f%n",
                    CLIENTS, seconds, run.streams.get(), run.events.get(), run.tokens.get(), run.dropped.get(), percentile(times, 0.50) / 1e6,
                    percentile(times, 0.95) / 1e6, ChatOverheadBenchmark.median(run.turnMillis.stream().mapToDouble(d -> d).toArray()),
                    run.failures.size(), peakPool.get(), settleSeconds, threadsBefore.size(),
                    threadsAfter.size(), fdsBefore.size(), fdsAfter.size(), sockets(fdsBefore), sockets(fdsAfter),
                    ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());

            assertTrue(run.failures.isEmpty(), run.failures.size() + " failed streams, the first: "
                    + run.failures.stream().limit(5).toList());
            assertTrue(run.streams.get() >= CLIENTS, "as many completed streams as clients at least: " + run.streams.get());
            assertEquals(List.of(), openConnections(app.port()), "connections left open on the server's port");
            assertTrue(sockets(fdsAfter) <= sockets(fdsBefore), "sockets " + sockets(fdsBefore) + " -> " + sockets(fdsAfter)
                    + ": " + added(fdsBefore, fdsAfter));
            assertTrue(fdsAfter.size() <= fdsBefore.size() + FD_TOLERANCE, "file descriptors " + fdsBefore.size() + " -> "
                    + fdsAfter.size() + ": " + added(fdsBefore, fdsAfter));
            Map<Long, String> newThreads = new TreeMap<>(threadsAfter);
            newThreads.keySet().removeAll(threadsBefore.keySet());
            List<String> unexpected = newThreads.values().stream().filter(n -> !n.startsWith(pool.getName() + "-")
                    && !n.startsWith("ForkJoinPool.commonPool-worker-")).toList();
            assertEquals(List.of(), unexpected, "threads started by the run and still alive");
            assertTrue(threadsAfter.size() <= threadsBefore.size() + THREAD_TOLERANCE,
                    "threads " + threadsBefore.size() + " -> " + threadsAfter.size() + ", new: " + newThreads.values());
            assertTrue(threadsInPool(threadsAfter, pool) <= threadsInPool(threadsBefore, pool) + THREAD_TOLERANCE,
                    "Jetty's pool back to its size before the run: " + threadsInPool(threadsBefore, pool) + " -> "
                    + threadsInPool(threadsAfter, pool));

            // A chat slot never released would hold close() for the whole shutdown timeout (30 s).
            long c0 = System.nanoTime();
            service.close();
            long closeMillis = (System.nanoTime() - c0) / 1_000_000;
            assertTrue(closeMillis < 10_000, "closing the service waited " + closeMillis + " ms for requests in flight");
        } finally {
            service.close();
            app.stop();
            smollm.close();
        }
    }

    /** {@code clients} threads streaming until {@code duration} is over; each finishes its last stream. */
    private static void runClients(URI base, int clients, Duration duration, Tally tally) throws InterruptedException {
        ExecutorService httpExecutor = Executors.newCachedThreadPool();
        WeakReference<HttpClient> client = streamAll(base, clients, duration, tally, httpExecutor);
        // The JDK 17 client has no close(): it closes its connections and ends its selector
        // thread once it is unreachable and collected; its executor is ours to stop after that.
        await(() -> {
            System.gc();
            return client.get() == null && threads().values().stream().noneMatch(n -> n.endsWith("-SelectorManager"));
        }, Duration.ofSeconds(15));
        httpExecutor.shutdown();
        assertTrue(httpExecutor.awaitTermination(10, TimeUnit.SECONDS), "the HTTP client's executor stops");
    }

    private static WeakReference<HttpClient> streamAll(URI base, int clients, Duration duration, Tally tally,
            ExecutorService httpExecutor) throws InterruptedException {
        ExecutorService clientPool = Executors.newFixedThreadPool(clients);
        // HTTP/1.1 explicitly: the default would try an h2c upgrade that this server does not speak.
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(httpExecutor)
                .connectTimeout(Duration.ofSeconds(10)).build();
        long deadline = System.nanoTime() + duration.toNanos();
        String run = Long.toString(System.nanoTime(), 36);
        for (int c = 0; c < clients; c++) {
            int id = c;
            String client0 = "soak-" + run + "-" + c + "-";
            clientPool.execute(() -> {
                for (int i = 0; System.nanoTime() < deadline; i++) {
                    // A session of three turns, then a new one; one stream in five is dropped by
                    // its client after its first event, as a closed browser tab would.
                    stream(client, base, client0 + i / 3, PROMPTS[i % PROMPTS.length], (id + i) % 5 == 4, tally);
                }
            });
        }
        clientPool.shutdown();
        boolean finished = clientPool.awaitTermination(duration.toSeconds() + 90, TimeUnit.SECONDS);
        assertTrue(finished, "client threads still waiting on their streams 90 s after the end: a hang; "
                + "failures so far: " + tally.failures.stream().limit(5).toList());
        return new WeakReference<>(client);
    }

    private static void stream(HttpClient client, URI base, String session, String prompt, boolean drop, Tally tally) {
        URI uri = base.resolve("/chat/stream?session_id=" + session + "&prompt=" + URLEncoder.encode(prompt, StandardCharsets.UTF_8));
        long t0 = System.nanoTime();
        try {
            HttpResponse<Stream<String>> r = client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60)).GET().build(),
                    HttpResponse.BodyHandlers.ofLines());
            if (drop && r.statusCode() == 200) {
                try (Stream<String> lines = r.body()) { // closing it unread cancels the response: the connection goes
                    if (lines.anyMatch(l -> l.startsWith("event:"))) {
                        tally.dropped.incrementAndGet();
                    } else {
                        tally.failures.add(session + ": a stream without any event");
                    }
                }
                return;
            }
            List<Sse> events;
            try (Stream<String> lines = r.body()) {
                events = Sse.parse(lines);
            }
            if (r.statusCode() != 200) {
                tally.failures.add(session + ": status " + r.statusCode() + " " + events);
                return;
            }
            long tokens = events.stream().filter(e -> e.name().equals("token")).count();
            List<Sse> errors = events.stream().filter(e -> e.name().equals("error")).toList();
            if (!errors.isEmpty()) {
                tally.failures.add(session + ": error events " + errors);
            } else if (events.isEmpty() || !events.get(events.size() - 1).name().equals("done")) {
                tally.failures.add(session + ": the stream did not end with done: " + events);
            } else if (!events.stream().allMatch(e -> Set.of("token", "done").contains(e.name()))) {
                tally.failures.add(session + ": unexpected events " + events);
            } else {
                tally.streams.incrementAndGet();
                tally.events.addAndGet(events.size());
                tally.tokens.addAndGet(tokens);
                tally.nanos.add(System.nanoTime() - t0);
                tally.turnMillis.add(events.get(events.size() - 1).json().path("latency_ms").asDouble());
            }
        } catch (IOException | RuntimeException e) {
            tally.failures.add(session + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            tally.failures.add(session + ": interrupted");
        }
    }

    /**
     * Jetty's pool at rest: no request running, and its size unchanged for a few idle timeouts
     * (idle threads above its minimum have left).
     */
    private static void settle(QueuedThreadPool pool) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        int size = -1;
        long stableSince = System.nanoTime();
        while (System.nanoTime() < deadline) {
            int now = pool.getThreads();
            if (now != size || pool.getUtilizedThreads() > 0) {
                size = now;
                stableSince = System.nanoTime();
            } else if (System.nanoTime() - stableSince > 3L * pool.getIdleTimeout() * 1_000_000) {
                return;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static void await(BooleanSupplier condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Live threads by id, with their names. */
    private static Map<Long, String> threads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive)
                .collect(Collectors.toMap(Thread::getId, Thread::getName, (a, b) -> a, TreeMap::new));
    }

    private static int threadsInPool(Map<Long, String> threads, QueuedThreadPool pool) {
        return (int) threads.values().stream().filter(n -> n.startsWith(pool.getName() + "-")).count();
    }

    /** What each of this process's file descriptors points at. */
    private static List<String> fds() {
        List<String> targets = new ArrayList<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : (Iterable<Path>) fds::iterator) {
                try {
                    targets.add(Files.readSymbolicLink(fd).toString());
                } catch (IOException e) {
                    // the descriptor of the listing itself, closed by now
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return targets;
    }

    private static long sockets(List<String> fds) {
        return fds.stream().filter(t -> t.startsWith("socket:")).count();
    }

    private static List<String> added(List<String> before, List<String> after) {
        List<String> added = new ArrayList<>(after);
        for (String b : before) {
            added.remove(b);
        }
        return added;
    }

    /**
     * TCP connections of this machine with the server's port at one end, established or waiting
     * for this side to close (CLOSE_WAIT: the peer has gone and the server kept its socket).
     */
    static List<String> openConnections(int port) {
        List<String> open = new ArrayList<>();
        String hexPort = String.format(Locale.ROOT, ":%04X", port);
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            List<String> lines;
            try {
                lines = Files.readAllLines(Path.of(table));
            } catch (IOException e) {
                continue; // no IPv6 on this machine
            }
            for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
                String[] f = line.trim().split("\\s+");
                String state = f[3];
                boolean ours = f[1].endsWith(hexPort) || f[2].endsWith(hexPort);
                if (ours && (state.equals("01") || state.equals("08"))) {
                    open.add(table + " " + f[1] + " -> " + f[2] + (state.equals("01") ? " ESTABLISHED" : " CLOSE_WAIT"));
                }
            }
        }
        return open;
    }

    private static double percentile(List<Long> sorted, double p) {
        return sorted.isEmpty() ? Double.NaN : sorted.get(Math.min(sorted.size() - 1, (int) Math.floor(p * sorted.size())));
    }
}
