package io.agentcouncil.benchmarks;

import io.agentcouncil.engine.LocalModel;
import io.agentcouncil.engine.ModelSession;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * Prefill speed of the native engine: one operation is ONE {@link ModelSession#eval} of the first
 * {@value #TOKENS} tokens of the prose sample (no BOS) into an empty cache. The session is created
 * in {@code @Setup(Level.Iteration)} and truncated to 0 before every operation, so allocating the
 * cache is not measured. Only the last row of logits comes back, as in llama.cpp's
 * {@code llm.eval} without {@code logits_all}.
 *
 * <p>The score is milliseconds per operation: <b>prefill tokens/s = 512000 / score</b>.
 * Compared with llama.cpp's one {@code llm.eval} of 512 tokens by scripts/bench/engine-side-by-side.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class EnginePrefillBenchmark {

    static final int TOKENS = 512;
    static final int CONTEXT = 1024;

    @Param({"smollm2-135m-instruct"})
    public String model;

    @Param({"2"})
    public int threads;

    private LocalModel lm;
    private int[] prompt;
    private ModelSession session;

    @Setup
    public void load() throws IOException {
        lm = LocalModel.load(BenchmarkModels.path(model), threads);
        prompt = BenchmarkModels.proseTokens(lm.tokenizer(), TOKENS);
        System.out.printf("%n%s, kernels %s, %d threads: %d prompt tokens per op (tokens/s = %d000 / ms per op)%n",
                lm, LocalModel.kernels(), threads, TOKENS, TOKENS);
    }

    @Setup(Level.Iteration)
    public void newSession() {
        session = lm.newSession(CONTEXT);
    }

    @Setup(Level.Invocation)
    public void emptyCache() {
        session.truncate(0);
    }

    @Benchmark
    public float[] prefill() {
        return session.eval(prompt);
    }

    @TearDown(Level.Iteration)
    public void closeSession() {
        session.close();
    }

    @TearDown
    public void close() {
        lm.close();
    }
}
