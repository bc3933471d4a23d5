package io.agentcouncil.benchmarks;

import io.agentcouncil.AgentCouncil;
import io.agentcouncil.ModelSource;
import io.agentcouncil.Reply;
import io.agentcouncil.Route;
import io.agentcouncil.engine.LocalModel;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
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

/**
 * Latency of {@link AgentCouncil#chat} for short answers (at most {@value #SHORT} tokens), in
 * SampleTime mode so JMH prints p50/p95/p99:
 *
 * <ul>
 *   <li>{@code agent0Route}: the gate at 0, so Agent-0's answer always stands (one model);
 *   <li>{@code escalatedRoute}: the gate at 1, so every message goes on to the specialist
 *       (Agent-0's answer, then the specialist's on a fresh cache);
 *   <li>{@code followUpFirstToken}: a follow-up turn in a session whose first turn ran in the
 *       invocation's setup, with at most one new token: the time to first token of a follow-up,
 *       Agent-0 evaluating only the new tokens (its cache is kept between turns).
 * </ul>
 *
 * Each operation is a new session (no history) except the follow-up. The models are loaded once.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 5, time = 4)
@Fork(1)
public class CouncilChatBenchmark {

    static final int SHORT = 16;
    static final String QUESTION = "What is the capital of France?";

    @State(Scope.Benchmark)
    public static class Models {
        @Param({"smollm2-135m-instruct"})
        public String agent0;

        @Param({"qwen2.5-coder-0.5b-instruct"})
        public String specialist;

        @Param({"2"})
        public int threads;

        LocalModel agent0Model;
        LocalModel specialistModel;
        AgentCouncil confident;
        AgentCouncil escalating;
        AgentCouncil firstToken;
        final AtomicLong sessions = new AtomicLong();

        @Setup
        public void load() throws IOException {
            agent0Model = LocalModel.load(BenchmarkModels.path(agent0), threads);
            specialistModel = LocalModel.load(BenchmarkModels.path(specialist), threads);
            confident = council(0, SHORT);
            escalating = council(1, SHORT);
            firstToken = council(0, 1);
        }

        private AgentCouncil council(double gate, int maxNewTokens) {
            return AgentCouncil.builder().agent0(ModelSource.instance(agent0Model)).threads(threads)
                    .specialist("general", "general questions", ModelSource.instance(specialistModel))
                    .confidenceGate(gate).maxNewTokens(maxNewTokens).maxLiveSessions(64).build();
        }

        String newSession() {
            return "s" + sessions.incrementAndGet();
        }

        @TearDown
        public void close() {
            confident.close();
            escalating.close();
            firstToken.close();
            agent0Model.close();
            specialistModel.close();
        }
    }

    /** A session that has had one turn. */
    @State(Scope.Thread)
    public static class FollowUp {
        String session;

        @Setup(Level.Invocation)
        public void firstTurn(Models m) {
            session = m.newSession();
            m.firstToken.chat(session, "My name is Sam and I keep bees in my garden.");
        }
    }

    @Benchmark
    public Reply agent0Route(Models m) {
        return check(m.confident.chat(m.newSession(), QUESTION), Route.AGENT0);
    }

    @Benchmark
    public Reply escalatedRoute(Models m) {
        return check(m.escalating.chat(m.newSession(), QUESTION), Route.COUNCIL);
    }

    @Benchmark
    public Reply followUpFirstToken(Models m, FollowUp f) {
        return check(m.firstToken.chat(f.session, "What do I keep in my garden?"), Route.AGENT0);
    }

    private static Reply check(Reply r, Route expected) {
        if (r.route() != expected) {
            throw new IllegalStateException("expected route " + expected + ", got " + r.route());
        }
        return r;
    }
}
