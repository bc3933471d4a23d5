package io.agentcouncil.benchmarks;

import io.agentcouncil.engine.LocalModel;
import io.agentcouncil.generation.GenerationConfig;
import io.agentcouncil.generation.GenerationResult;
import io.agentcouncil.generation.Generator;
import io.agentcouncil.template.ChatMessage;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Cold start to the first token: {@link LocalModel#load} (parse and validate the GGUF, build the
 * tokenizer, map the weights), a new session of {@value #CONTEXT} positions with the model's chat
 * template ({@link Generator#open}), evaluating the chat-template prompt of one short question and
 * drawing the first generated token (greedy), then closing everything. One shot per measurement
 * iteration ({@code SingleShotTime}), no warmup.
 *
 * <ul>
 *   <li>The model file is read once in setup, so it is in the page cache: this is not a cold
 *       disk read. Evict it ({@code echo 1 > /proc/sys/vm/drop_caches}) for that.
 *   <li>The native library is loaded in setup ({@link LocalModel#kernels()}), so its loading
 *       (unpacking the {@code .so} from the jar, {@code dlopen}) is excluded; it is paid once per
 *       process, not per model.
 *   <li>The first shot of every fork runs in a cold JVM: the engine's, tokenizer's and Jinjava's
 *       classes load and run interpreted for the first time. Later shots of the same fork are a
 *       warm JVM loading the model again. JMH's summary mixes both; the per-fork raw data in the
 *       JSON result ({@code -rf json}) keeps the shots in order, the cold one first. Use more
 *       forks ({@code -f}) for more cold samples.
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 0)
@Measurement(iterations = 10)
@Fork(3)
public class ColdStartBenchmark {

    static final String QUESTION = "What is the capital of France?";
    static final int CONTEXT = 1024;

    @Param({"smollm2-135m-instruct"})
    public String model;

    @Param({"2"})
    public int threads;

    private Path path;
    private GenerationConfig firstToken;

    @Setup
    public void warmPageCacheAndLoadNativeLibrary() throws IOException {
        path = BenchmarkModels.path(model);
        byte[] buffer = new byte[1 << 20];
        try (InputStream in = Files.newInputStream(path)) {
            while (in.read(buffer) >= 0) {
                // reading is the point: the file lands in the page cache
            }
        }
        String kernels = LocalModel.kernels();
        firstToken = GenerationConfig.builder().greedy().maxNewTokens(1).topLogprobs(0).build();
        System.out.printf("%n%s (%d bytes, page cache warmed), kernels %s, %d threads%n",
                path.getFileName(), Files.size(path), kernels, threads);
    }

    @Benchmark
    public int loadToFirstToken() throws IOException {
        try (LocalModel m = LocalModel.load(path, threads); Generator g = Generator.open(m, CONTEXT)) {
            GenerationResult r = g.chat(List.of(ChatMessage.user(QUESTION)), firstToken);
            return r.tokenIds()[0];
        }
    }
}
