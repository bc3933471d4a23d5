package io.agentcouncil.benchmarks;

import io.agentcouncil.engine.LocalModel;
import io.agentcouncil.generation.Conversation;
import io.agentcouncil.generation.GenerationConfig;
import io.agentcouncil.generation.GenerationResult;
import io.agentcouncil.generation.GenerationTimings;
import io.agentcouncil.generation.Generator;
import io.agentcouncil.template.ChatMessage;
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
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Time to first token of a follow-up chat turn, with and without KV prefix reuse.
 *
 * <ul>
 *   <li>{@code followUpReused}: a {@link Conversation} has had its first turn (system prompt,
 *       question, a {@value #FIRST_REPLY_TOKENS}-token greedy reply, all in
 *       {@code @Setup(Level.Invocation)}); the operation is its second {@link Conversation#send}
 *       with {@code maxNewTokens 1}: render the whole history through the chat template, encode
 *       it, keep the cached common prefix, evaluate only the new suffix (the end of the first
 *       reply's turn and the new question) and draw the first token.
 *   <li>{@code followUpFresh}: the same full follow-up prompt (the same four messages) through
 *       {@link Generator#chat} with {@code maxNewTokens 1} on a session whose cache was emptied
 *       before the operation, so every prompt token is evaluated. The session is made once per
 *       iteration: allocating a cache is not part of either figure.
 * </ul>
 *
 * <p>Both include the template rendering and tokenization. The setup prints the prompt length
 * and how many tokens the reused path kept and evaluated.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class PrefixReuseBenchmark {

    static final int CONTEXT = 1024;
    static final int FIRST_REPLY_TOKENS = 16;
    static final String SYSTEM = "You are a helpful assistant. Answer in a few short sentences.";
    static final String FIRST = "I am planning a weekend trip to Paris in spring. What are three things I should see, "
            + "and how many days do I need for them?";
    static final String FOLLOW_UP = "And which of them is best on a rainy day?";
    static final GenerationConfig FIRST_TURN = GenerationConfig.builder().greedy().maxNewTokens(FIRST_REPLY_TOKENS)
            .topLogprobs(0).build();
    static final GenerationConfig ONE_TOKEN = GenerationConfig.builder().greedy().maxNewTokens(1).topLogprobs(0).build();

    /** The model and the follow-up turn's messages, shared by both benchmarks. */
    @State(Scope.Benchmark)
    public static class Loaded {
        @Param({"smollm2-135m-instruct"})
        public String model;

        @Param({"2"})
        public int threads;

        LocalModel lm;
        /** System prompt, first question, first reply, follow-up question. */
        List<ChatMessage> followUp;

        @Setup
        public void load() throws IOException {
            lm = LocalModel.load(BenchmarkModels.path(model), threads);
            try (Conversation c = Conversation.open(lm, CONTEXT).system(SYSTEM)) {
                c.send(FIRST, FIRST_TURN);
                GenerationTimings t = c.send(FOLLOW_UP, ONE_TOKEN).timings();
                followUp = c.messages().subList(0, 4);
                System.out.printf("%n%s, kernels %s, %d threads: follow-up prompt %d tokens, %d reused, %d evaluated%n",
                        lm, LocalModel.kernels(), threads, t.promptTokens(), t.reusedTokens(), t.prefillTokens());
            }
        }

        @TearDown
        public void close() {
            lm.close();
        }
    }

    /** A conversation after its first turn. */
    @State(Scope.Thread)
    public static class Reused {
        Generator generator;
        Conversation conversation;

        @Setup(Level.Iteration)
        public void open(Loaded l) {
            generator = Generator.open(l.lm, CONTEXT);
        }

        @Setup(Level.Invocation)
        public void firstTurn() {
            // The previous follow-up's cache starts with this turn's prompt, so only its reply is decoded again.
            conversation = new Conversation(generator).system(SYSTEM);
            conversation.send(FIRST, FIRST_TURN);
        }

        @TearDown(Level.Iteration)
        public void close() {
            generator.close();
        }
    }

    /** A session whose cache is empty before every operation. */
    @State(Scope.Thread)
    public static class Fresh {
        Generator generator;

        @Setup(Level.Iteration)
        public void open(Loaded l) {
            generator = Generator.open(l.lm, CONTEXT);
        }

        @Setup(Level.Invocation)
        public void emptyCache() {
            generator.reset();
        }

        @TearDown(Level.Iteration)
        public void close() {
            generator.close();
        }
    }

    @Benchmark
    public int followUpReused(Reused r) {
        GenerationResult result = r.conversation.send(FOLLOW_UP, ONE_TOKEN);
        return result.tokenIds()[0];
    }

    @Benchmark
    public int followUpFresh(Loaded l, Fresh f) {
        GenerationResult result = f.generator.chat(l.followUp, ONE_TOKEN);
        return result.tokenIds()[0];
    }
}
