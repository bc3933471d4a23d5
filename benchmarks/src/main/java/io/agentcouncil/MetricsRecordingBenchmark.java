package io.agentcouncil;

import io.agentcouncil.generation.GenerationTimings;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
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

/**
 * The metric recording of one Agent-0 chat turn, alone: what the council records (its own
 * {@code CouncilMetrics}, hence this benchmark's package) and what memory records (its three
 * meters, configured here as {@code Memory} configures them), into a Prometheus registry or into
 * Micrometer's no-op meters. Set against a chat's latency ({@link
 * io.agentcouncil.benchmarks.MetricsOverheadBenchmark}), this is the overhead of metrics free of
 * the chat's own noise, which is far larger than the overhead.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class MetricsRecordingBenchmark {

    @State(Scope.Benchmark)
    public static class Meters {
        @Param({"none", "prometheus"})
        public String registry;

        CouncilMetrics council;
        Timer recall;
        Timer embedding;
        DistributionSummary compression;
        final Reply reply = new Reply("Paris.", Route.AGENT0, 0.9, false, List.of(), "", Duration.ofMillis(140), List.of());
        final GenerationTimings timings = new GenerationTimings(40, 0, 40, 30, 31, 16, 110, 141);
        final Duration latency = Duration.ofMillis(141);

        @Setup
        public void build() {
            MeterRegistry r = registry.equals("prometheus") ? new PrometheusMeterRegistry(PrometheusConfig.DEFAULT)
                    : new CompositeMeterRegistry();
            council = new CouncilMetrics(r, Duration.ofMinutes(5), Duration.ofMillis(400));
            recall = Timer.builder("memory.recall.latency").publishPercentiles(0.5, 0.95, 0.99).register(r);
            embedding = Timer.builder("memory.embedding.latency").publishPercentiles(0.5, 0.95).register(r);
            compression = DistributionSummary.builder("memory.compression.ratio").publishPercentiles(0.5, 0.95).register(r);
        }
    }

    @Benchmark
    public void agent0Turn(Meters m) {
        m.embedding.record(820_000, TimeUnit.NANOSECONDS);
        m.recall.record(14_000, TimeUnit.NANOSECONDS);
        m.compression.record(9.2);
        m.council.agent0(m.latency);
        m.council.generation("smollm2-135m-instruct", m.timings);
        m.council.reply(m.reply);
    }
}
