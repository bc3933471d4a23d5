package io.agentcouncil.benchmarks;

import io.agentcouncil.AgentCouncil;
import io.agentcouncil.ModelSource;
import io.agentcouncil.Reply;
import io.agentcouncil.engine.LocalModel;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What metric recording adds to a chat: {@link AgentCouncil#chat} on Agent-0's route (a new
 * session each time, at most {@value #SHORT} new tokens), with {@code registry=prometheus} (a
 * {@link PrometheusMeterRegistry}, every meter live, and a scrape every {@value #SCRAPE_EVERY}
 * chats, as a server being scraped would see) against {@code registry=none} (an empty
 * {@link CompositeMeterRegistry}: Micrometer's no-op meters). The two run in one fork, alternately
 * per iteration would be ideal; JMH runs them one after the other, so compare their medians with
 * the spread in mind (scripts/bench/README.md).
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 4)
@Measurement(iterations = 8, time = 5)
@Fork(1)
public class MetricsOverheadBenchmark {

    static final int SHORT = 16;
    static final int SCRAPE_EVERY = 10;

    @State(Scope.Benchmark)
    public static class Council {
        @Param({"none", "prometheus"})
        public String registry;

        LocalModel agent0;
        AgentCouncil council;
        PrometheusMeterRegistry prometheus;
        final AtomicLong chats = new AtomicLong();

        @Setup
        public void build() throws IOException {
            agent0 = LocalModel.load(BenchmarkModels.path("smollm2-135m-instruct"), 2);
            MeterRegistry r;
            if (registry.equals("prometheus")) {
                prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
                r = prometheus;
            } else {
                r = new CompositeMeterRegistry();
            }
            council = AgentCouncil.builder().agent0(ModelSource.instance(agent0)).threads(2)
                    .confidenceGate(0).maxNewTokens(SHORT).maxLiveSessions(64).meterRegistry(r).build();
        }

        @TearDown
        public void close() {
            council.close();
            agent0.close();
        }
    }

    @Benchmark
    public Reply chat(Council c) {
        long n = c.chats.incrementAndGet();
        Reply r = c.council.chat("s" + n, "What is the capital of France?");
        if (c.prometheus != null && n % SCRAPE_EVERY == 0) {
            c.prometheus.scrape();
        }
        return r;
    }
}
