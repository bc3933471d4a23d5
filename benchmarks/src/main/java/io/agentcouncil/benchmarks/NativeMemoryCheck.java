package io.agentcouncil.benchmarks;

import io.agentcouncil.engine.LocalModel;
import io.agentcouncil.engine.ModelSession;
import io.agentcouncil.gguf.GgufFile;
import io.agentcouncil.gguf.GgufMetadata;
import io.agentcouncil.gguf.GgufTensor;
import io.agentcouncil.generation.GenerationConfig;
import io.agentcouncil.generation.Generator;
import io.agentcouncil.template.ChatMessage;
import org.bytedeco.javacpp.Pointer;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Native memory of the engine, seen from outside: the process's resident set ({@code VmRSS} in
 * {@code /proc/self/status}, split into {@code RssAnon}, allocated memory, and {@code RssFile},
 * mapped file pages such as the weights) before and after loading a model, after one
 * {@value #BIG_CONTEXT}-position session, then every {@value #DEFAULT_EVERY} of N short generations, each
 * on a new session of {@value #SMALL_CONTEXT} positions (new {@link Generator}, a chat prompt, 8
 * greedy tokens, close). A leak in the native layer shows as RssAnon growing with the number of
 * generations; the Java heap's committed size is printed beside it, as it is part of RSS too.
 * For comparison it prints the file size, the tensor bytes (the Java GGUF reader's tensor table)
 * and the F16 KV cache size: 2 bytes x 2 (K and V) x n_layer x n_kv_heads x head_dim x n_ctx.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.agentcouncil.benchmarks.NativeMemoryCheck [n [model [threads [every]]]]
 * </pre>
 *
 * n defaults to 1000 generations, model to smollm2-135m-instruct (a roster name or a GGUF path),
 * threads to 2, every (generations between two lines) to 100. The growth is reported twice: from
 * the closed 1024-position session to the end (JVM warm-up included: JIT, class loading, heap
 * growth) and from the first line of generations to the end, the figure a leak shows in. With
 * {@code -Xms256m -Xmx256m -XX:+AlwaysPreTouch} the Java heap is resident from the start, so
 * RssAnon growth is native (or JVM-internal: code cache, metaspace). Not a JMH benchmark; Linux
 * only.
 */
public final class NativeMemoryCheck {

    static final int BIG_CONTEXT = 1024;
    static final int SMALL_CONTEXT = 256;
    static final int NEW_TOKENS = 8;
    static final int DEFAULT_EVERY = 100;
    static final String QUESTION = "What is the capital of France?";

    private NativeMemoryCheck() {}

    public static void main(String[] args) throws IOException {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        String model = args.length > 1 ? args[1] : "smollm2-135m-instruct";
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        int every = args.length > 3 ? Integer.parseInt(args[3]) : DEFAULT_EVERY;
        Path path = model.endsWith(".gguf") ? Path.of(model) : BenchmarkModels.path(model);

        long fileBytes = Files.size(path);
        long tensorBytes = 0;
        int nLayer;
        int nKvHeads;
        int headDim;
        try (GgufFile g = GgufFile.open(path)) {
            for (GgufTensor t : g.tensors()) {
                tensorBytes += t.byteSize();
            }
            GgufMetadata md = g.metadata();
            String p = g.architecture() + ".";
            nLayer = md.getInt(p + "block_count");
            int nHead = md.getInt(p + "attention.head_count");
            nKvHeads = md.getInt(p + "attention.head_count_kv", nHead);
            headDim = md.getInt(p + "attention.key_length", md.getInt(p + "embedding_length") / nHead);
        }
        long kvPerPosition = 2L * 2 * nLayer * nKvHeads * headDim;
        System.out.printf(Locale.ROOT, "model %s: file %s, tensors %s; n_layer %d, n_kv_heads %d, head_dim %d%n",
                path.getFileName(), mib(fileBytes), mib(tensorBytes), nLayer, nKvHeads, headDim);
        System.out.printf(Locale.ROOT, "F16 KV cache: %d bytes/position; %d positions %s, %d positions %s%n",
                kvPerPosition, BIG_CONTEXT, mib(kvPerPosition * BIG_CONTEXT), SMALL_CONTEXT, mib(kvPerPosition * SMALL_CONTEXT));

        List<String> jvmArgs = ManagementFactory.getRuntimeMXBean().getInputArguments();
        if (!jvmArgs.contains("-XX:+AlwaysPreTouch")) {
            System.out.println("note: the Java heap grows into RSS as it is used; for RssAnon to show native memory only, run with "
                    + "-Xms256m -Xmx256m -XX:+AlwaysPreTouch (the whole heap resident from the start)");
        }
        report("start (JVM, nothing loaded)");
        String kernels = LocalModel.kernels();
        report("native library loaded (kernels " + kernels + ")");
        GenerationConfig config = GenerationConfig.builder().greedy().maxNewTokens(NEW_TOKENS).topLogprobs(0).build();
        try (LocalModel m = LocalModel.load(path, threads)) {
            report("model loaded");
            Rss loaded = Rss.read();
            try (ModelSession s = m.newSession(BIG_CONTEXT)) {
                report("+ one " + BIG_CONTEXT + "-position session");
                s.eval(BenchmarkModels.proseTokens(m.tokenizer(), 512));
                report("+ 512 tokens evaluated in it");
            }
            report("session closed");
            Rss afterSession = Rss.read();

            long start = System.nanoTime();
            Rss previous = Rss.read();
            Rss baseline = null; // after the first line of generations: JIT, class loading and heap sizing mostly done
            int baselineAt = 0;
            for (int i = 1; i <= n; i++) {
                try (Generator g = Generator.open(m, SMALL_CONTEXT)) {
                    g.chat(List.of(ChatMessage.user(QUESTION)), config);
                }
                if (i % every == 0 || i == n) {
                    report(String.format(Locale.ROOT, "%d generations (%.1f s)", i, (System.nanoTime() - start) / 1e9));
                    Rss now = Rss.read();
                    System.out.printf(Locale.ROOT, "    since the previous line: VmRSS %+.2f MiB, RssAnon %+.2f MiB%n",
                            (now.vmRss - previous.vmRss) / 1048576.0, (now.rssAnon - previous.rssAnon) / 1048576.0);
                    previous = now;
                    if (baseline == null) {
                        baseline = now;
                        baselineAt = i;
                    }
                }
            }
            Rss end = Rss.read();
            System.out.printf(Locale.ROOT, "growth over %d generations: RssAnon %+.2f MiB since the %d-position session closed "
                    + "(JVM warm-up included); VmRSS %+.2f MiB since load (weights paged in included)%n",
                    n, (end.rssAnon - afterSession.rssAnon) / 1048576.0, BIG_CONTEXT, (end.vmRss - loaded.vmRss) / 1048576.0);
            if (baseline != null && n > baselineAt) {
                System.out.printf(Locale.ROOT, "growth from generation %d to %d: RssAnon %+.2f MiB = %+.0f bytes/generation, "
                        + "VmRSS %+.2f MiB%n", baselineAt, n, (end.rssAnon - baseline.rssAnon) / 1048576.0,
                        (end.rssAnon - baseline.rssAnon) / (double) (n - baselineAt), (end.vmRss - baseline.vmRss) / 1048576.0);
            }
        }
        report("model closed");
    }

    /** Prints one line of memory figures. */
    private static void report(String what) {
        Rss r = Rss.read();
        Runtime rt = Runtime.getRuntime();
        System.out.printf(Locale.ROOT, "%-44s VmRSS %9s  RssAnon %9s  RssFile %9s | Java heap used %s of %s committed | JavaCPP %s%n",
                what, mib(r.vmRss), mib(r.rssAnon), mib(r.rssFile), mib(rt.totalMemory() - rt.freeMemory()),
                mib(rt.totalMemory()), mib(Pointer.totalBytes()));
    }

    private static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
    }

    /** Resident set figures from /proc/self/status, in bytes. */
    record Rss(long vmRss, long rssAnon, long rssFile) {
        static Rss read() {
            long vm = 0;
            long anon = 0;
            long file = 0;
            try {
                for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                    if (line.startsWith("VmRSS:")) {
                        vm = kib(line);
                    } else if (line.startsWith("RssAnon:")) {
                        anon = kib(line);
                    } else if (line.startsWith("RssFile:")) {
                        file = kib(line);
                    }
                }
            } catch (IOException e) {
                throw new IllegalStateException("cannot read /proc/self/status (Linux only)", e);
            }
            return new Rss(vm, anon, file);
        }

        private static long kib(String line) {
            String[] parts = line.trim().split("\\s+");
            return Long.parseLong(parts[1]) * 1024;
        }
    }
}
