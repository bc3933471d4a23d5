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
 * Batch-1 decode speed of the native engine: one operation is {@value #TOKENS} tokens evaluated
 * one at a time, each the greedy argmax of the previous logits, after a {@value #PROMPT}-token
 * prompt (the first tokens of the prose sample). The session is created and the prompt evaluated
 * in {@code @Setup(Level.Iteration)}; before every operation the session is truncated back to the
 * prompt, so every operation decodes positions {@value #PROMPT}..{@value #PROMPT}+{@value #TOKENS}-1
 * and the cache never fills. The time includes copying each row of logits into Java and the argmax
 * over it, as a caller of {@link ModelSession#eval} pays them.
 *
 * <p>The score is milliseconds per operation: <b>decode tokens/s = 64000 / score</b>. Compared
 * with llama.cpp's same loop by scripts/bench/engine-side-by-side.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class EngineDecodeBenchmark {

    static final int PROMPT = 16;
    static final int TOKENS = 64;
    static final int CONTEXT = 1024;

    @Param({"smollm2-135m-instruct"})
    public String model;

    @Param({"2"})
    public int threads;

    private LocalModel lm;
    private int[] prompt;
    private ModelSession session;
    private int first;

    @Setup
    public void load() throws IOException {
        lm = LocalModel.load(BenchmarkModels.path(model), threads);
        prompt = BenchmarkModels.proseTokens(lm.tokenizer(), PROMPT);
        System.out.printf("%n%s, kernels %s, %d threads: %d prompt tokens, %d decoded per op (tokens/s = %d000 / ms per op)%n",
                lm, LocalModel.kernels(), threads, PROMPT, TOKENS, TOKENS);
    }

    @Setup(Level.Iteration)
    public void newSession() {
        session = lm.newSession(CONTEXT);
        first = BenchmarkModels.argmax(session.eval(prompt));
    }

    @Setup(Level.Invocation)
    public void backToPrompt() {
        session.truncate(PROMPT);
    }

    @Benchmark
    public int decode() {
        int[] next = {first};
        for (int i = 0; i < TOKENS; i++) {
            next[0] = BenchmarkModels.argmax(session.eval(next));
        }
        return next[0];
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
