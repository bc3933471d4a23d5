package io.agentcouncil.benchmarks;

import io.agentcouncil.gguf.GgufFile;
import io.agentcouncil.tokenizer.Tokenizer;
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
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * Encoding the 100 KB English prose sample, the figure compared with llama.cpp by
 * scripts/bench/tokenizer-side-by-side. "warm" reuses one tokenizer, as a running engine does;
 * "cold" gets a fresh one (empty word cache) for every call, the honest worst case.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class TokenizerEncodeBenchmark {

    @Param({"smollm2-135m-instruct"})
    public String model;

    private String prose;
    private Tokenizer warm;
    private Tokenizer cold;

    @Setup
    public void load() throws IOException {
        prose = BenchmarkModels.prose();
        warm = fresh();
        System.out.printf("%nprose sample: %d bytes, %d tokens%n", prose.getBytes(StandardCharsets.UTF_8).length, warm.encode(prose).length);
    }

    @Setup(Level.Invocation)
    public void freshTokenizer() throws IOException {
        cold = fresh();
    }

    private Tokenizer fresh() throws IOException {
        try (GgufFile g = GgufFile.open(BenchmarkModels.path(model))) {
            return Tokenizer.fromGguf(g.metadata());
        }
    }

    @Benchmark
    public int[] warm() {
        return warm.encode(prose);
    }

    @Benchmark
    public int[] cold() {
        return cold.encode(prose);
    }
}
