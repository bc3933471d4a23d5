package io.agentcouncil.generation;

import io.agentcouncil.template.ChatMessage;
import io.agentcouncil.template.ChatTemplate;
import io.agentcouncil.tokenizer.Tokenizer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

import static io.agentcouncil.generation.TinyTokenizer.BOS;
import static io.agentcouncil.generation.TinyTokenizer.EOS;
import static io.agentcouncil.generation.TinyTokenizer.IM_END;
import static io.agentcouncil.generation.TinyTokenizer.byteToken;
import static io.agentcouncil.generation.TinyTokenizer.word;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The generation loop on a deterministic fake model and a tiny real tokenizer. */
class GeneratorTest {

    private static final Tokenizer TOK = TinyTokenizer.get();
    private static final int V = TinyTokenizer.size();
    private static final int[] PROMPT = {BOS, word("▁the")};

    /** Greedy continuation: after each key token comes its value; anything else is followed by EOS. */
    private static Map<Integer, Integer> script(int... chain) {
        Map<Integer, Integer> next = new HashMap<>();
        for (int i = 0; i + 1 < chain.length; i++) {
            next.put(chain[i], chain[i + 1]);
        }
        return next;
    }

    private static FakeSession scripted(int capacity, Map<Integer, Integer> next) {
        return FakeSession.byLastToken(V, capacity, last -> FakeSession.favour(V, next.getOrDefault(last, EOS)));
    }

    /** "Hello world!" then EOS, after PROMPT. */
    private static FakeSession helloWorld() {
        return scripted(512, script(word("▁the"), word("Hel"), word("lo"), word("▁wor"), word("ld"), word("!"), EOS));
    }

    /** Logits that look random but are a pure function of the context. */
    private static float[] pseudoRandom(int[] context) {
        long h = Arrays.hashCode(context);
        float[] logits = new float[V];
        java.util.Random r = new java.util.Random(h);
        for (int i = 0; i < V; i++) {
            logits[i] = (float) (r.nextGaussian() * 2.5);
        }
        logits[EOS] = -20; // keep going
        logits[IM_END] = -20;
        return logits;
    }

    /** Collects what a listener sees. */
    static class Recorder implements TokenListener {
        final List<GeneratedToken> tokens = new ArrayList<>();
        final List<String> texts = new ArrayList<>();

        @Override
        public void onToken(GeneratedToken token, String text) {
            tokens.add(token);
            texts.add(text);
        }

        String streamed() {
            return String.join("", texts);
        }
    }

    private static GenerationResult run(Generator g, int[] prompt, GenerationConfig config, Recorder recorder) {
        GenerationResult r = g.generate(prompt, config, recorder, CancellationToken.none());
        assertEquals(r.text(), recorder.streamed(), "streamed text adds up to the result");
        assertEquals(r.tokens(), recorder.tokens);
        for (String t : recorder.texts) {
            assertFalse(t.contains("\uFFFD"), () -> "half a character streamed: " + recorder.texts);
        }
        return r;
    }

    @Test
    void greedyFollowsTheModelToTheEndOfGeneration() {
        Generator g = new Generator(helloWorld(), TOK);
        Recorder rec = new Recorder();
        GenerationResult r = run(g, PROMPT, GenerationConfig.defaults(), rec);
        assertEquals("Hello world!", r.text());
        assertEquals(StopReason.EOS, r.stopReason());
        assertArrayEquals(new int[] {word("Hel"), word("lo"), word("▁wor"), word("ld"), word("!"), EOS}, r.tokenIds());
        assertEquals("</s>", r.tokens().get(5).piece(), "the end token is reported, its text is not in the reply");
        assertEquals("", rec.texts.get(5));
        assertEquals(" wor", r.tokens().get(2).piece());

        GenerationTimings t = r.timings();
        assertEquals(2, t.promptTokens());
        assertEquals(0, t.reusedTokens());
        assertEquals(2, t.prefillTokens());
        assertEquals(6, t.generatedTokens());
        assertTrue(t.timeToFirstTokenMillis() > 0 && t.timeToFirstTokenMillis() <= t.totalMillis());
        assertTrue(t.prefillMillis() > 0 && t.prefillMillis() <= t.timeToFirstTokenMillis());
        assertTrue(t.decodeMillis() >= 0 && t.decodeTokensPerSecond() > 0);
        assertTrue(t.toString().contains("6 generated"), t::toString);
    }

    @Test
    void logprobsAreTheLogSoftmaxOfTheRawLogitsWithTopAlternatives() {
        for (int n : new int[] {0, 3, 10}) {
            // Sampling at a high temperature with penalty: the reported logprobs ignore all of that.
            GenerationConfig config = GenerationConfig.builder().temperature(1.7).topK(50).topP(0.9).minP(0.01)
                    .repetitionPenalty(1.3).seed(77).maxNewTokens(12).topLogprobs(n).build();
            FakeSession session = new FakeSession(V, 512, GeneratorTest::pseudoRandom);
            Recorder rec = new Recorder(); // random byte tokens make broken UTF-8: U+FFFD is expected here
            GenerationResult r = new Generator(session, TOK).generate(PROMPT, config, rec, CancellationToken.none());
            assertEquals(r.text(), rec.streamed());
            assertEquals(12, r.tokens().size());
            List<Integer> context = new ArrayList<>(List.of(BOS, word("▁the")));
            for (GeneratedToken token : r.tokens()) {
                float[] logits = pseudoRandom(context.stream().mapToInt(Integer::intValue).toArray());
                float[] expected = new float[V];
                LogProbs.logSoftmax(logits, expected);
                double sum = 0;
                for (float lp : expected) {
                    sum += Math.exp(lp);
                }
                assertEquals(1.0, sum, 1e-5);
                assertEquals(expected[token.id()], token.logprob(), 1e-5);
                assertTrue(token.logprob() <= 0);
                assertEquals(n, token.alternatives().size());
                for (int i = 0; i < n; i++) {
                    TokenAlternative a = token.alternatives().get(i);
                    assertEquals(expected[a.id()], a.logprob(), 1e-5);
                    assertEquals(new String(TOK.piece(a.id(), true), java.nio.charset.StandardCharsets.UTF_8), a.piece());
                    if (i > 0) {
                        assertTrue(a.logprob() <= token.alternatives().get(i - 1).logprob());
                    }
                }
                if (n > 0) {
                    assertEquals(expected[Sampler.argmax(logits)], token.alternatives().get(0).logprob(), 1e-6);
                }
                context.add(token.id());
            }
        }
    }

    @Test
    void greedyTokensAreTheirOwnTopAlternative() {
        GenerationResult r = new Generator(new FakeSession(V, 512, GeneratorTest::pseudoRandom), TOK)
                .generate(PROMPT, GenerationConfig.builder().maxNewTokens(8).build());
        for (GeneratedToken t : r.tokens()) {
            assertEquals(t.id(), t.alternatives().get(0).id());
            assertEquals(t.logprob(), t.alternatives().get(0).logprob());
        }
    }

    @Test
    void stopsAtTheTokenCap() {
        Map<Integer, Integer> loop = script(word("▁the"), word("Hel"), word("lo"), word("Hel"));
        GenerationResult seven = run(new Generator(scripted(512, loop), TOK), PROMPT,
                GenerationConfig.builder().maxNewTokens(7).build(), new Recorder());
        assertEquals(StopReason.MAX_TOKENS, seven.stopReason());
        assertEquals(7, seven.tokens().size());
        assertEquals("HelloHelloHelloHel", seven.text());

        GenerationResult byDefault = new Generator(scripted(512, loop), TOK).generate(PROMPT, GenerationConfig.defaults());
        assertEquals(160, byDefault.tokens().size());
        assertEquals(StopReason.MAX_TOKENS, byDefault.stopReason());

        FakeSession session = scripted(512, loop);
        GenerationResult none = new Generator(session, TOK).generate(PROMPT, GenerationConfig.builder().maxNewTokens(0).build());
        assertEquals(StopReason.MAX_TOKENS, none.stopReason());
        assertEquals(0, none.tokens().size());
        assertEquals(2, session.length(), "the prompt is evaluated: a way to prime the cache");
    }

    @Test
    void aStopStringSpanningTokensEndsTheTextBeforeItAndIsNeverStreamed() {
        Recorder rec = new Recorder();
        GenerationResult r = run(new Generator(helloWorld(), TOK), PROMPT,
                GenerationConfig.builder().stopStrings("lo wo").build(), rec);
        assertEquals("Hel", r.text());
        assertEquals(StopReason.STOP_STRING, r.stopReason());
        assertEquals(3, r.tokens().size(), "tokens up to the one completing the stop string");
        assertEquals(List.of("He", "l", ""), rec.texts, "the l of 'lo wo' waits until it cannot be the stop string");
    }

    @Test
    void heldBackTextIsReleasedWhenItTurnsOutNotToBeAStopString() {
        Recorder rec = new Recorder();
        GenerationResult r = run(new Generator(helloWorld(), TOK), PROMPT,
                GenerationConfig.builder().stopStrings("ld?", "xyz").build(), rec);
        assertEquals("Hello world!", r.text());
        assertEquals(StopReason.EOS, r.stopReason());
        assertEquals(List.of("He", "llo", " wor", "", "ld!", ""), rec.texts);

        // Held-back text also comes out when the cap ends the generation in the middle of it.
        Recorder capped = new Recorder();
        GenerationResult c = run(new Generator(helloWorld(), TOK), PROMPT,
                GenerationConfig.builder().stopStrings("ld?").maxNewTokens(4).build(), capped);
        assertEquals("Hello world", c.text());
        assertEquals(StopReason.MAX_TOKENS, c.stopReason());
        assertEquals("ld", capped.texts.get(3));
    }

    @Test
    void theEarliestOfSeveralStopStringsWins() {
        GenerationConfig config = GenerationConfig.builder().stopStrings("world", "lo").build();
        assertEquals("Hel", run(new Generator(helloWorld(), TOK), PROMPT, config, new Recorder()).text());
        GenerationConfig inOneToken = GenerationConfig.builder().stopStrings("!").build();
        assertEquals("Hello world", run(new Generator(helloWorld(), TOK), PROMPT, inOneToken, new Recorder()).text());
        Recorder rec = new Recorder();
        GenerationResult atStart = run(new Generator(helloWorld(), TOK), PROMPT,
                GenerationConfig.builder().stopStrings("Hel").build(), rec);
        assertEquals("", atStart.text());
        assertEquals(List.of(""), rec.texts);
        // A stop string that only forms across the end of one token and the start of the next.
        assertEquals("Hell", run(new Generator(helloWorld(), TOK), PROMPT,
                GenerationConfig.builder().stopStrings("o w").build(), new Recorder()).text());
    }

    @Test
    void multiByteCharactersAreStreamedWhole() {
        int[] euro = {byteToken(0xE2), byteToken(0x82), byteToken(0xAC)};
        FakeSession session = scripted(512, script(word("▁the"), euro[0], euro[1], euro[2], word("!"), EOS));
        Recorder rec = new Recorder();
        GenerationResult r = run(new Generator(session, TOK), PROMPT, GenerationConfig.defaults(), rec);
        assertEquals("€!", r.text());
        assertEquals(List.of("", "", "€", "!", ""), rec.texts);
        assertEquals("\uFFFD", r.tokens().get(0).piece());

        // A stop string that is a multi-byte character.
        assertEquals("", run(new Generator(scripted(512, script(word("▁the"), euro[0], euro[1], euro[2], word("!"), EOS)), TOK),
                PROMPT, GenerationConfig.builder().stopStrings("€").build(), new Recorder()).text());

        // A character cut off by the cap comes out as U+FFFD at the end, not lost.
        FakeSession cut = scripted(512, script(word("▁the"), euro[0], euro[1], euro[2]));
        GenerationResult partial = new Generator(cut, TOK).generate(PROMPT, GenerationConfig.builder().maxNewTokens(2).build());
        assertTrue(partial.text().startsWith("\uFFFD"), partial.text());
    }

    @Test
    void cancellationFromAnotherThreadStopsBetweenTokens() throws Exception {
        Map<Integer, Integer> loop = script(word("▁the"), word("Hel"), word("lo"), word("Hel"));
        FakeSession session = scripted(100_000, loop);
        session.evalDelayMillis = 5;
        CancellationToken cancel = new CancellationToken();
        CountDownLatch third = new CountDownLatch(3);
        Thread canceller = new Thread(() -> {
            try {
                third.await();
                cancel.cancel();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        canceller.start();
        Recorder rec = new Recorder() {
            @Override
            public void onToken(GeneratedToken token, String text) {
                super.onToken(token, text);
                third.countDown();
            }
        };
        GenerationResult r = new Generator(session, TOK).generate(PROMPT,
                GenerationConfig.builder().maxNewTokens(10_000).build(), rec, cancel);
        canceller.join();
        assertEquals(StopReason.CANCELLED, r.stopReason());
        assertTrue(r.tokens().size() >= 3 && r.tokens().size() < 50, "stopped soon after: " + r.tokens().size());
        assertEquals(r.text(), rec.streamed());
    }

    @Test
    void cancellingFromTheListenerEndsAtThatTokenWithoutEvaluatingIt() {
        Map<Integer, Integer> loop = script(word("▁the"), word("Hel"), word("lo"), word("Hel"));
        FakeSession session = scripted(100_000, loop);
        CancellationToken cancel = new CancellationToken();
        Recorder rec = new Recorder() {
            @Override
            public void onToken(GeneratedToken token, String text) {
                super.onToken(token, text);
                if (tokens.size() == 3) {
                    cancel.cancel();
                }
            }
        };
        GenerationResult r = new Generator(session, TOK).generate(PROMPT,
                GenerationConfig.builder().maxNewTokens(100).build(), rec, cancel);
        assertEquals(StopReason.CANCELLED, r.stopReason());
        assertEquals(3, r.tokens().size());
        assertEquals(PROMPT.length + 2, session.evaluatedTokens, "the third token is not evaluated");
        assertEquals(r.text(), rec.streamed());
    }

    @Test
    void interruptingTheGeneratingThreadCancelsAndKeepsTheFlag() throws Exception {
        Map<Integer, Integer> loop = script(word("▁the"), word("Hel"), word("lo"), word("Hel"));
        FakeSession session = scripted(100_000, loop);
        session.evalDelayMillis = 2;
        AtomicReference<GenerationResult> result = new AtomicReference<>();
        AtomicReference<Boolean> flag = new AtomicReference<>();
        CountDownLatch started = new CountDownLatch(1);
        Thread worker = new Thread(() -> {
            result.set(new Generator(session, TOK).generate(PROMPT, GenerationConfig.builder().maxNewTokens(100_000).build(),
                    (token, text) -> started.countDown(), CancellationToken.none()));
            flag.set(Thread.currentThread().isInterrupted());
        });
        worker.start();
        assertTrue(started.await(10, TimeUnit.SECONDS));
        worker.interrupt();
        worker.join(10_000);
        assertFalse(worker.isAlive());
        assertEquals(StopReason.CANCELLED, result.get().stopReason());
        assertTrue(flag.get(), "the interrupt is left for the caller to see");
    }

    @Test
    void cancelledBeforeStartingEvaluatesNothing() {
        FakeSession session = helloWorld();
        CancellationToken cancel = new CancellationToken();
        cancel.cancel();
        GenerationResult r = new Generator(session, TOK).generate(PROMPT, GenerationConfig.defaults(), TokenListener.NONE, cancel);
        assertEquals(StopReason.CANCELLED, r.stopReason());
        assertEquals(0, r.tokens().size());
        assertEquals(0, session.evaluatedTokens);
    }

    @Test
    void longPromptsAreEvaluatedInChunksAndCanBeCancelledBetweenThem() {
        int[] prompt = new int[1200];
        Arrays.fill(prompt, word("lo"));
        prompt[0] = BOS;
        FakeSession session = scripted(4096, script(word("lo"), word("!"), EOS));
        GenerationResult r = new Generator(session, TOK).generate(prompt, GenerationConfig.defaults());
        assertEquals("!", r.text());
        assertEquals(List.of(512, 512, 176, 1), session.evalCalls.stream().map(c -> c.length).toList());

        CancellationToken cancel = new CancellationToken();
        FakeSession slow = new FakeSession(V, 4096, ctx -> {
            if (ctx.length == 600) {
                cancel.cancel(); // arrives while the second chunk is evaluated
            }
            return FakeSession.favour(V, EOS);
        });
        GenerationResult c = new Generator(slow, TOK).generate(prompt, GenerationConfig.defaults(), TokenListener.NONE, cancel);
        assertEquals(StopReason.CANCELLED, c.stopReason());
        assertEquals(1024, c.timings().prefillTokens());
        assertEquals(1024, slow.evaluatedTokens);
    }

    @Test
    void aFullContextEndsGenerationWithoutThrowing() {
        Map<Integer, Integer> loop = script(word("▁the"), word("Hel"), word("lo"), word("Hel"));
        int[] prompt = {BOS, word("lo"), word("lo"), word("▁the")};
        // 10 positions: 4 for the prompt, then each token but the last is evaluated: 7 tokens.
        GenerationResult r = run(new Generator(scripted(10, loop), TOK), prompt,
                GenerationConfig.builder().maxNewTokens(100).build(), new Recorder());
        assertEquals(StopReason.CONTEXT_FULL, r.stopReason());
        assertEquals(7, r.tokens().size());

        GenerationResult exact = new Generator(scripted(4, loop), TOK).generate(prompt, GenerationConfig.defaults());
        assertEquals(StopReason.CONTEXT_FULL, exact.stopReason());
        assertEquals(1, exact.tokens().size());

        FakeSession small = scripted(3, loop);
        GenerationResult tooLong = new Generator(small, TOK).generate(prompt, GenerationConfig.defaults());
        assertEquals(StopReason.CONTEXT_FULL, tooLong.stopReason());
        assertEquals(0, tooLong.tokens().size());
        assertEquals(0, small.evaluatedTokens);
        assertEquals(4, tooLong.timings().promptTokens());
    }

    @Test
    void aFollowUpPromptEvaluatesOnlyWhatFollowsTheCachedPrefix() {
        Map<Integer, Integer> chain = script(word("▁the"), word("Hel"), word("lo"), word("▁wor"), word("ld"), word("!"), EOS);
        FakeSession session = scripted(512, chain);
        Generator g = new Generator(session, TOK);
        GenerationResult first = g.generate(PROMPT, GenerationConfig.defaults());
        assertEquals(2 + 5, session.length(), "prompt and every token but the last (EOS) are in the cache");
        assertArrayEquals(session.context(), g.cachedTokens());

        // The next prompt repeats the conversation so far and adds a turn.
        int[] next = concat(PROMPT, Arrays.copyOf(first.tokenIds(), 6), new int[] {BOS, word("▁the")});
        int before = session.evaluatedTokens;
        GenerationResult second = g.generate(next, GenerationConfig.defaults());
        assertEquals(7, second.timings().reusedTokens());
        assertEquals(next.length - 7, second.timings().prefillTokens());
        assertEquals(next.length - 7, session.evaluatedTokens - before - (second.tokens().size() - 1));
        // Reusing the cache changes nothing in the output.
        GenerationResult fresh = new Generator(scripted(512, chain), TOK).generate(next, GenerationConfig.defaults());
        assertEquals(fresh.text(), second.text());
        assertArrayEquals(fresh.tokenIds(), second.tokenIds());

        // The same prompt again: everything but the last token is reused.
        before = session.evaluatedTokens;
        GenerationResult again = g.generate(next, GenerationConfig.builder().maxNewTokens(1).build());
        assertEquals(next.length - 1, again.timings().reusedTokens());
        assertEquals(1, session.evaluatedTokens - before);

        // A prompt that diverges after BOS: the cache is cut back to BOS.
        int[] other = {BOS, word("▁A"), word("▁B"), word("▁the")};
        GenerationResult diverged = g.generate(other, GenerationConfig.defaults());
        assertEquals(1, diverged.timings().reusedTokens());
        assertArrayEquals(Arrays.copyOf(session.context(), 4), other);
        assertEquals("Hello world!", diverged.text());
    }

    @Test
    void aSessionChangedBehindTheGeneratorsBackIsEvaluatedAfresh() {
        FakeSession session = helloWorld();
        Generator g = new Generator(session, TOK);
        g.generate(PROMPT, GenerationConfig.defaults());
        session.eval(new int[] {word("▁A")}); // someone else used the session
        GenerationResult r = g.generate(PROMPT, GenerationConfig.defaults());
        assertEquals(0, r.timings().reusedTokens());
        assertEquals("Hello world!", r.text());

        // A listener that throws leaves the cache in doubt: the next call starts over.
        assertThrows(IllegalStateException.class, () -> g.generate(PROMPT, GenerationConfig.defaults(),
                (t, s) -> { throw new IllegalStateException("listener failed"); }, CancellationToken.none()));
        assertEquals(0, g.generate(PROMPT, GenerationConfig.defaults()).timings().reusedTokens());
        g.reset();
        assertEquals(0, session.length());
    }

    @Test
    void theSameSeedReproducesAGenerationAndAnotherSeedDoesNot() {
        GenerationConfig.Builder sampling = GenerationConfig.builder().temperature(1.0).topK(0).topP(1).minP(0).maxNewTokens(40);
        GenerationResult a = sample(sampling.seed(2024).build());
        GenerationResult b = sample(sampling.seed(2024).build());
        GenerationResult c = sample(sampling.seed(2025).build());
        assertArrayEquals(a.tokenIds(), b.tokenIds());
        assertEquals(a.text(), b.text());
        assertNotEquals(Arrays.toString(a.tokenIds()), Arrays.toString(c.tokenIds()));
        assertEquals(2024, a.seed());

        // Without a seed each run draws one, reported so the run can be repeated.
        GenerationResult d = sample(sampling.randomSeed().build());
        GenerationResult e = sample(sampling.randomSeed().build());
        assertNotEquals(d.seed(), e.seed());
        assertArrayEquals(d.tokenIds(), sample(sampling.seed(d.seed()).build()).tokenIds());
    }

    private static GenerationResult sample(GenerationConfig config) {
        return new Generator(new FakeSession(V, 512, GeneratorTest::pseudoRandom), TOK).generate(PROMPT, config);
    }

    @Test
    void repetitionPenaltyStopsAGreedyLoop() {
        // Without a penalty the model says "Hel" forever; with one, the repeated token loses to the runner-up.
        Function<int[], float[]> model = ctx -> {
            float[] logits = new float[V];
            logits[word("Hel")] = 5;
            logits[word("!")] = 4;
            logits[EOS] = -5;
            return logits;
        };
        GenerationResult plain = new Generator(new FakeSession(V, 512, model), TOK).generate(PROMPT,
                GenerationConfig.builder().maxNewTokens(3).build());
        assertEquals("HelHelHel", plain.text());
        GenerationResult penalised = new Generator(new FakeSession(V, 512, model), TOK).generate(PROMPT,
                GenerationConfig.builder().maxNewTokens(3).repetitionPenalty(1.5).build());
        assertEquals("Hel!Hel", penalised.text(), "5/1.5 < 4 once Hel was said; 4/1.5 < 5/1.5 once both were");
    }

    @Test
    void chatRendersTheTemplateAndAConversationReusesItsHistory() {
        String template = "{{ bos_token }}{% for m in messages %}<|im_start|>{{ m.role }}\n{{ m.content }}<|im_end|>\n{% endfor %}"
                + "{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}";
        // The model answers "4" and ends its turn whenever the prompt ends with a newline.
        FakeSession session = scripted(4096, script(byteToken('\n'), word("4"), IM_END));
        Generator g = new Generator(session, TOK, ChatTemplate.of(template, "<s>", "</s>"));
        int[] prompt = g.chatPrompt(List.of(ChatMessage.user("What is 2+2?")));
        assertEquals(BOS, prompt[0]);
        assertNotEquals(BOS, prompt[1], "BOS once, though the template writes it and the model asks for it");

        try (Conversation chat = new Conversation(g).system("Be brief.")) {
            GenerationResult first = chat.send("What is 2+2?", GenerationConfig.defaults());
            assertEquals("4", first.text());
            assertEquals(StopReason.EOS, first.stopReason());
            assertEquals(IM_END, first.tokens().get(1).id());
            int before = session.evaluatedTokens;
            Recorder rec = new Recorder();
            GenerationResult second = chat.send("And 3+3?", GenerationConfig.defaults(), rec, CancellationToken.none());
            assertEquals("4", second.text());
            assertEquals("4", rec.streamed());
            assertTrue(second.timings().reusedTokens() >= first.timings().promptTokens(),
                    "the whole first prompt is reused: " + second.timings());
            assertTrue(second.timings().prefillTokens() < second.timings().promptTokens() / 2, second.timings()::toString);
            assertEquals(second.timings().prefillTokens() + 1, session.evaluatedTokens - before);
            assertEquals(List.of(ChatMessage.system("Be brief."), ChatMessage.user("What is 2+2?"), ChatMessage.assistant("4"),
                    ChatMessage.user("And 3+3?"), ChatMessage.assistant("4")), chat.messages());
        }
        assertTrue(session.closed);
        assertThrows(IllegalStateException.class, () -> new Generator(helloWorld(), TOK).chatPrompt(List.of()));
    }

    @Test
    void badArgumentsAreRefusedBeforeAnythingRuns() {
        Generator g = new Generator(helloWorld(), TOK);
        assertThrows(IllegalArgumentException.class, () -> g.generate(new int[0], GenerationConfig.defaults()));
        assertThrows(IllegalArgumentException.class, () -> g.generate(new int[] {BOS, V + 5}, GenerationConfig.defaults()));
        assertThrows(NullPointerException.class, () -> g.generate(PROMPT, null));
    }

    private static int[] concat(int[]... parts) {
        return Arrays.stream(parts).flatMapToInt(Arrays::stream).toArray();
    }
}
