package io.agentcouncil.benchmarks;

import io.agentcouncil.gguf.GgufFile;
import io.agentcouncil.tokenizer.Tokenizer;
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
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Opening a roster GGUF (header, metadata, tensor table) and building its tokenizer: the part of a
 * cold start that happens in Java. Sample mode, so JMH reports the median and tail, not a mean.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class OpenModelBenchmark {

    @Param({"smollm2-135m-instruct"})
    public String model;

    private Path path;

    @Setup
    public void locate() {
        path = BenchmarkModels.path(model);
    }

    @Benchmark
    public Tokenizer openAndBuildTokenizer() throws IOException {
        try (GgufFile g = GgufFile.open(path)) {
            return Tokenizer.fromGguf(g.metadata());
        }
    }
}
