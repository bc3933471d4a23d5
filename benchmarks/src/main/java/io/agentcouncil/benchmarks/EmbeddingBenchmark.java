package io.agentcouncil.benchmarks;

import io.agentcouncil.embedding.Embedder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * Embedding one sentence with all-MiniLM-L6-v2 (the cost every stored entry and every recall
 * query pays before the index is touched): the sentences of the prose sample in turn (setup
 * prints how many and their mean length). SampleTime: the median is the figure per sentence.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class EmbeddingBenchmark {

    private Embedder embedder;
    private String[] sentences;
    private int next;

    @Setup
    public void load() {
        embedder = Embedder.miniLm();
        sentences = Arrays.stream(BenchmarkModels.prose().split("(?<=[.?!])\\s+"))
                .map(String::strip)
                .filter(s -> !s.isEmpty())
                .toArray(String[]::new);
        embedder.embed(sentences[0]); // loads the model outside the measurement
        System.out.printf("%n%d sentences, %.1f words on average%n", sentences.length,
                Arrays.stream(sentences).mapToInt(s -> s.split("\\s+").length).average().orElse(0));
    }

    @Benchmark
    public float[] embedSentence() {
        return embedder.embed(sentences[next++ % sentences.length]);
    }
}
