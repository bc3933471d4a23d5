package io.agentcouncil.examples.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agentcouncil.AgentCouncil;
import io.agentcouncil.ModelSource;
import io.agentcouncil.Reply;
import io.agentcouncil.Route;
import io.agentcouncil.engine.LocalModel;
import io.agentcouncil.models.ModelRoster;
import io.agentcouncil.models.ModelSpec;
import io.agentcouncil.monitoring.Alerting;
import io.javalin.Javalin;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.IterationType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * What the HTTP server adds to a chat turn: {@code council.chat(session, prompt)} in-process
 * against {@code POST /chat} over loopback (java.net.http, HTTP/1.1, one kept-alive connection)
 * on the same council in the same JVM, with the real SmolLM2-135M Agent-0 loaded once, the gate
 * at 0 (no escalation) and one new token, so the model's part is as small as a real turn gets.
 *
 * <p>Each call is a new session: every turn then does the same work (a first turn: prefill of
 * the system prompt and the prompt, one token, memory written behind), where one growing session
 * would change the prompt, the recall and the compression from call to call. The HTTP call parses
 * the reply's JSON and checks its route, as a client must; the in-process call checks the route.
 *
 * <ul>
 *   <li>{@code inProcess}, {@code http}: each alone, JMH's SampleTime percentiles. Their p50s
 *       differ by the noise of the model's turn (tens of ms on a shared machine) more than by the
 *       server, so:</li>
 *   <li>{@code paired}: per operation one turn in-process, one over java.net.http and one over a
 *       plain socket ({@link RawHttp}: what the server costs without the JDK client's own thread
 *       hand-offs), the order rotating, each timed with {@link System#nanoTime()} and written to a
 *       file that {@link #main} summarises, fork by fork: drift cancels. Each call's time outside
 *       the turn (wall time minus the reply's own latency, which the council measures around the
 *       turn; over HTTP the {@code latency_ms} of the JSON) leaves the model's noise out: what is
 *       left is the council's submission and, over HTTP, the server and the client. The overhead
 *       is the HTTP call's outside time less the in-process call's.</li>
 * </ul>
 *
 * Run: {@code mvn -B -ntp -q -pl examples/http test-compile exec:exec@chat-overhead}, with JMH
 * options in {@code -Dbench.args="..."} (README, Performance).
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 6)
@Fork(value = 3, jvmArgsAppend = {"-Xmx2g", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"})
@Threads(1)
@State(Scope.Benchmark)
public class ChatOverheadBenchmark {

    static final String PROMPT = "Hi";
    static final int MAX_NEW_TOKENS = 1;
    static final int WARM_REQUESTS = 20_000;
    /** Where {@code paired} appends its samples; {@link #main} sets it for the forks. */
    static final String OUT_PROPERTY = "chat.overhead.out";

    private static final ObjectMapper JSON = new ObjectMapper();

    private LocalModel smollm;
    private CouncilService service;
    private AgentCouncil council;
    private Javalin app;
    private HttpClient client;
    private URI chat;
    private long sessions;

    private RawHttp raw;
    private boolean recording;
    // per operation: wall time in-process, java.net.http, raw socket; then the same minus the turn's latency
    private final List<long[]> samples = new ArrayList<>();
    private long operations;

    @Setup(Level.Trial)
    public void start() throws IOException {
        ModelRoster roster = ModelRoster.get();
        ModelSpec spec = roster.find(Councils.AGENT0).orElseThrow();
        if (!roster.isFetched(spec)) {
            throw new IllegalStateException(Councils.AGENT0 + " is not in " + roster.cacheDir()
                    + ": run scripts/fetch-models " + Councils.AGENT0);
        }
        smollm = LocalModel.load(roster.pathOf(spec), 2);
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        council = AgentCouncil.builder().agent0(ModelSource.instance(smollm)).threads(2)
                .confidenceGate(0).maxNewTokens(MAX_NEW_TOKENS)
                .meterRegistry(registry).alerting(Alerting.builder().sinks().build()).build();
        service = new CouncilService(council, registry, ServerLimits.fromEnvironment(Map.of()));
        app = AgentCouncilHttp.create(roster, service).start("127.0.0.1", 0);
        chat = URI.create("http://127.0.0.1:" + app.port() + "/chat");
        // HTTP/1.1 explicitly: the default would try an h2c upgrade that this server does not speak.
        client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
        raw = new RawHttp("127.0.0.1", app.port());
        warmServer(URI.create("http://127.0.0.1:" + app.port() + "/v1/tokenize"));
        for (int i = 0; i < 5; i++) { // every path answers before JMH's warm-up starts
            paired();
        }
    }

    /**
     * A server under steady traffic runs compiled code; a turn takes tens of milliseconds, so
     * JMH's warm-up would make only a few hundred requests, and the HTTP stack (client, Jetty,
     * Javalin, Jackson) would still be interpreted. {@value #WARM_REQUESTS} {@code POST /v1/tokenize}
     * requests from each client (JSON in, Agent-0's tokenizer, JSON out; no model) compile it first.
     */
    private void warmServer(URI tokenize) {
        String body = JSON.createObjectNode().put("model", Councils.AGENT0).put("text", PROMPT).toString();
        HttpRequest request = HttpRequest.newBuilder(tokenize).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
        for (int i = 0; i < WARM_REQUESTS; i++) {
            try {
                HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() != 200) {
                    throw new IllegalStateException("POST /v1/tokenize: " + r.statusCode() + " " + r.body());
                }
                JSON.readTree(r.body());
                JSON.readTree(raw.post(tokenize.getPath(), body));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    @Setup(Level.Iteration)
    public void iteration(IterationParams params) {
        recording = params.getType() == IterationType.MEASUREMENT;
    }

    @TearDown(Level.Trial)
    public void stop() throws IOException {
        raw.close();
        service.close();
        app.stop();
        smollm.close();
        String out = System.getProperty(OUT_PROPERTY);
        if (out != null && !samples.isEmpty()) {
            long fork = ProcessHandle.current().pid();
            StringBuilder lines = new StringBuilder();
            for (long[] s : samples) {
                lines.append(fork);
                for (long v : s) {
                    lines.append(',').append(v);
                }
                lines.append('\n');
            }
            Files.writeString(Path.of(out), lines, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
    }

    private String nextSession() {
        return "bench-" + (++sessions);
    }

    @Benchmark
    public Reply inProcess() {
        Reply r = council.chat(nextSession(), PROMPT);
        if (r.route() != Route.AGENT0) {
            throw new IllegalStateException("expected Agent-0's route, got " + r.route());
        }
        return r;
    }

    @Benchmark
    public JsonNode http() {
        String body = JSON.createObjectNode().put("session_id", nextSession()).put("prompt", PROMPT).toString();
        HttpRequest request = HttpRequest.newBuilder(chat).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
        HttpResponse<String> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        if (response.statusCode() != 200) {
            throw new IllegalStateException("POST /chat: " + response.statusCode() + " " + response.body());
        }
        JsonNode reply;
        try {
            reply = JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!reply.path("route").asText().equals("agent0")) {
            throw new IllegalStateException("expected Agent-0's route: " + response.body());
        }
        return reply;
    }

    /**
     * One turn of each: in-process, over java.net.http, over a plain socket; the order rotates
     * from one operation to the next, so that none is always first after the previous one.
     */
    @Benchmark
    public long paired() throws IOException {
        int first = (int) (operations++ % 3);
        long[] s = new long[6];
        for (int k = 0; k < 3; k++) {
            switch ((first + k) % 3) {
                case 0 -> timeInProcess(s);
                case 1 -> timeHttp(s);
                default -> timeRaw(s);
            }
        }
        if (recording) {
            samples.add(s);
        }
        return s[0] + s[1] + s[2];
    }

    private void timeInProcess(long[] s) {
        long t0 = System.nanoTime();
        Reply r = inProcess();
        s[0] = System.nanoTime() - t0;
        s[3] = s[0] - r.latency().toNanos();
    }

    private void timeHttp(long[] s) {
        long t0 = System.nanoTime();
        JsonNode r = http();
        s[1] = System.nanoTime() - t0;
        s[4] = s[1] - Math.round(r.path("latency_ms").asDouble() * 1e6);
    }

    private void timeRaw(long[] s) throws IOException {
        String body = JSON.createObjectNode().put("session_id", nextSession()).put("prompt", PROMPT).toString();
        long t0 = System.nanoTime();
        String response = raw.post("/chat", body);
        JsonNode r = JSON.readTree(response);
        s[2] = System.nanoTime() - t0;
        if (!r.path("route").asText().equals("agent0")) {
            throw new IllegalStateException("expected Agent-0's route: " + response);
        }
        s[5] = s[2] - Math.round(r.path("latency_ms").asDouble() * 1e6);
    }

    /**
     * The least an HTTP/1.1 client can do: one kept-alive blocking socket, the request written
     * in one piece, the response read on the calling thread (java.net.http hands each response
     * from its selector thread to an executor, then to the caller). Only what this server sends:
     * 200 with a Content-Length or chunked body.
     */
    static final class RawHttp implements AutoCloseable {
        private final Socket socket;
        private final OutputStream out;
        private final InputStream in;
        private final String host;

        RawHttp(String host, int port) throws IOException {
            this.host = host + ":" + port;
            socket = new Socket(host, port);
            socket.setTcpNoDelay(true);
            out = socket.getOutputStream();
            in = new BufferedInputStream(socket.getInputStream());
        }

        String post(String path, String json) throws IOException {
            byte[] body = json.getBytes(StandardCharsets.UTF_8);
            byte[] head = ("POST " + path + " HTTP/1.1\r\nHost: " + host + "\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
            byte[] request = Arrays.copyOf(head, head.length + body.length);
            System.arraycopy(body, 0, request, head.length, body.length);
            out.write(request);
            out.flush();
            String status = line();
            if (!status.startsWith("HTTP/1.1 200")) {
                throw new IllegalStateException(path + ": " + status);
            }
            int length = -1;
            boolean chunked = false;
            for (String h = line(); !h.isEmpty(); h = line()) {
                String lower = h.toLowerCase(Locale.ROOT);
                if (lower.startsWith("content-length:")) {
                    length = Integer.parseInt(lower.substring(15).strip());
                } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                    chunked = true;
                }
            }
            if (!chunked) {
                return new String(in.readNBytes(length), StandardCharsets.UTF_8);
            }
            ByteArrayOutputStream whole = new ByteArrayOutputStream();
            for (int size = Integer.parseInt(line().strip(), 16); size > 0; size = Integer.parseInt(line().strip(), 16)) {
                whole.write(in.readNBytes(size));
                line();
            }
            line();
            return whole.toString(StandardCharsets.UTF_8);
        }

        private String line() throws IOException {
            StringBuilder b = new StringBuilder();
            for (int c = in.read(); c != '\n'; c = in.read()) {
                if (c < 0) {
                    throw new EOFException("the server closed the connection");
                }
                if (c != '\r') {
                    b.append((char) c);
                }
            }
            return b.toString();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    // ---- the runner and its summary ---------------------------------------------------------

    /** Runs the benchmarks (JMH command-line options accepted), then prints the summary. */
    public static void main(String[] args) throws Exception {
        CommandLineOptions cmd = new CommandLineOptions(args);
        Path out = Path.of("target", "chat-overhead-paired.csv").toAbsolutePath();
        Files.createDirectories(out.getParent());
        Files.deleteIfExists(out);
        OptionsBuilder options = new OptionsBuilder();
        options.parent(cmd);
        if (cmd.getIncludes().isEmpty()) {
            options.include(ChatOverheadBenchmark.class.getName() + "\\.");
        }
        options.jvmArgsAppend("-Xmx2g", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-D" + OUT_PROPERTY + "=" + out);
        double loadBefore = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        Collection<RunResult> results = new Runner(options.build()).run();
        double loadAfter = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        System.out.println();
        System.out.println(summary(results, Files.exists(out) ? Files.readAllLines(out) : List.of()));
        System.out.printf(Locale.ROOT, "load average %.1f before, %.1f after, on %d CPUs%n", loadBefore, loadAfter,
                Runtime.getRuntime().availableProcessors());
    }

    static String summary(Collection<RunResult> results, List<String> pairedLines) {
        StringBuilder b = new StringBuilder("== HTTP overhead over the in-process API (ms) ==\n");
        Map<String, RunResult> byName = new TreeMap<>();
        for (RunResult r : results) {
            String label = r.getParams().getBenchmark();
            byName.put(label.substring(label.lastIndexOf('.') + 1), r);
        }
        RunResult in = byName.get("inProcess");
        RunResult http = byName.get("http");
        if (in != null && http != null) {
            double[] inForks = forkP50s(in);
            double[] httpForks = forkP50s(http);
            double inP50 = in.getPrimaryResult().getStatistics().getPercentile(50);
            double httpP50 = http.getPrimaryResult().getStatistics().getPercentile(50);
            b.append(String.format(Locale.ROOT, "separate runs: inProcess p50 %.3f (forks %s), http p50 %.3f (forks %s)%n",
                    inP50, fmt(inForks), httpP50, fmt(httpForks)));
            double[] d = new double[Math.min(inForks.length, httpForks.length)];
            for (int i = 0; i < d.length; i++) {
                d[i] = httpForks[i] - inForks[i];
            }
            b.append(String.format(Locale.ROOT, "  http - inProcess: %.3f (fork i vs fork i: %s)%n", httpP50 - inP50, fmt(d)));
        }
        if (!pairedLines.isEmpty()) {
            Map<String, List<long[]>> forks = new TreeMap<>();
            for (String line : pairedLines) {
                String[] f = line.split(",");
                long[] v = new long[f.length - 1];
                for (int i = 0; i < v.length; i++) {
                    v[i] = Long.parseLong(f[i + 1]);
                }
                forks.computeIfAbsent(f[0], k -> new ArrayList<>()).add(v);
            }
            List<long[]> all = new ArrayList<>();
            b.append("paired (in-process, java.net.http, raw socket per operation, order rotating); p50s:\n");
            b.append(String.format(Locale.ROOT, "  %-6s %5s | %9s %9s %9s | %8s %8s %8s | %8s %8s%n", "", "n",
                    "wall in", "http", "raw", "out in", "http", "raw", "http-in", "raw-in"));
            int n = 0;
            for (List<long[]> fork : forks.values()) {
                b.append(pairedLine("fork " + ++n, fork));
                all.addAll(fork);
            }
            b.append(pairedLine("all", all));
            b.append("  wall: the call's time; out: wall minus the turn's own latency (reply.latency, latency_ms);\n"
                    + "  http-in, raw-in: difference of the out p50s (the overhead); medians of each operation's\n"
                    + "  differences with 95% bootstrap intervals:\n");
            for (int[] c : new int[][] {{1, 0}, {2, 0}, {4, 3}, {5, 3}}) {
                double[] d = all.stream().mapToDouble(v -> (v[c[0]] - v[c[1]]) / 1e6).toArray();
                double[] ci = bootstrapMedian(d, 2000);
                b.append(String.format(Locale.ROOT, "    %-22s %8.3f [%.3f, %.3f]%n", COLUMNS[c[0]] + " - " + COLUMNS[c[1]],
                        median(d), ci[0], ci[1]));
            }
        }
        return b.toString();
    }

    private static final String[] COLUMNS = {"wall in", "wall http", "wall raw", "out in", "out http", "out raw"};

    private static String pairedLine(String label, List<long[]> samples) {
        double[] p = new double[6];
        for (int i = 0; i < 6; i++) {
            p[i] = median(col(samples, i));
        }
        return String.format(Locale.ROOT, "  %-6s %5d | %9.3f %9.3f %9.3f | %8.3f %8.3f %8.3f | %8.3f %8.3f%n", label,
                samples.size(), p[0], p[1], p[2], p[3], p[4], p[5], p[4] - p[3], p[5] - p[3]);
    }

    private static double[] col(List<long[]> samples, int i) {
        return samples.stream().mapToDouble(s -> s[i] / 1e6).toArray();
    }

    private static double[] forkP50s(RunResult r) {
        return r.getBenchmarkResults().stream().map(BenchmarkResult::getPrimaryResult)
                .mapToDouble(p -> p.getStatistics().getPercentile(50)).toArray();
    }

    private static String fmt(double[] values) {
        StringBuilder s = new StringBuilder("[");
        for (double v : values) {
            s.append(s.length() > 1 ? ", " : "").append(String.format(Locale.ROOT, "%.3f", v));
        }
        return s.append(']').toString();
    }

    static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        int n = v.length;
        return n == 0 ? Double.NaN : n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }

    /** The 2.5th and 97.5th percentiles of the median over {@code rounds} resamples. */
    static double[] bootstrapMedian(double[] values, int rounds) {
        SplittableRandom random = new SplittableRandom(42);
        double[] medians = new double[rounds];
        double[] resample = new double[values.length];
        for (int r = 0; r < rounds; r++) {
            for (int i = 0; i < values.length; i++) {
                resample[i] = values[random.nextInt(values.length)];
            }
            medians[r] = median(resample);
        }
        Arrays.sort(medians);
        return new double[] {medians[(int) (rounds * 0.025)], medians[(int) (rounds * 0.975) - 1]};
    }
}
