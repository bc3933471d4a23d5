package io.agentcouncil.generation;

import io.agentcouncil.engine.LanguageModel;
import io.agentcouncil.engine.ModelSession;
import io.agentcouncil.template.ChatMessage;
import io.agentcouncil.template.ChatTemplate;
import io.agentcouncil.tokenizer.TokenDecoder;
import io.agentcouncil.tokenizer.Tokenizer;
import io.agentcouncil.tokenizer.Vocabulary;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The generation loop of one conversation: evaluates a prompt in a {@link ModelSession}, then
 * samples, streams and evaluates tokens until an end-of-generation token, a stop string, the
 * token cap, the end of the context or a cancellation.
 *
 * <p><b>Prefix reuse.</b> The generator remembers which tokens its session's cache holds. A new
 * prompt that starts with some of them (a follow-up turn of a chat renders the earlier turns
 * again) keeps that common prefix in the cache and evaluates only the rest; the last prompt
 * token is always evaluated again, for fresh logits. {@link GenerationTimings#reusedTokens()}
 * tells how many were kept. If something else changed the session's length, the cache is
 * cleared and the whole prompt evaluated.
 *
 * <p>Never throws for a full context: generation ends with {@link StopReason#CONTEXT_FULL}.
 * Errors of the model itself (a native failure) propagate; the cache is then evaluated afresh
 * next time.
 *
 * <p>One conversation, one thread at a time; conversations on different sessions of one model
 * run in parallel. Owns its session: {@link #close()} closes it.
 */
public final class Generator implements AutoCloseable {

    /** Prompts are evaluated in chunks of this many tokens, checking for cancellation between them. */
    static final int PREFILL_CHUNK = 512;

    private final ModelSession session;
    private final Tokenizer tokenizer;
    private final ChatTemplate template;
    private final int vocabularySize;
    private int[] cached = new int[256];
    private int cachedLength;
    private boolean cacheKnown = true;

    /** A generator without a chat template: {@link #chat} is unavailable, {@link #generate} works. */
    public Generator(ModelSession session, Tokenizer tokenizer) {
        this(session, tokenizer, null);
    }

    /**
     * @param template renders messages for {@link #chat}; null for none
     */
    public Generator(ModelSession session, Tokenizer tokenizer, ChatTemplate template) {
        this.session = Objects.requireNonNull(session, "session");
        this.tokenizer = Objects.requireNonNull(tokenizer, "tokenizer");
        this.template = template;
        // A model may pad its output layer beyond the tokenizer's vocabulary; those ids are never drawn.
        this.vocabularySize = Math.min(session.vocabularySize(), tokenizer.vocabulary().size());
    }

    /**
     * A generator on a new session of {@code model}, with the model's own chat template (when its
     * file has one).
     *
     * @throws io.agentcouncil.template.ChatTemplateException if the model's template does not parse
     */
    public static Generator open(LanguageModel model, int contextLength) {
        ModelSession session = model.newSession(contextLength);
        try {
            return new Generator(session, model.tokenizer(), templateOf(model));
        } catch (RuntimeException e) {
            session.close();
            throw e;
        }
    }

    /** The model's chat template with its BOS/EOS texts, or null when the model has none. */
    static ChatTemplate templateOf(LanguageModel model) {
        String source = model.chatTemplate();
        if (source == null) {
            return null;
        }
        Vocabulary v = model.tokenizer().vocabulary();
        return ChatTemplate.of(source, v.bos() == Vocabulary.NONE ? "" : v.text(v.bos()),
                v.eos() == Vocabulary.NONE ? "" : v.text(v.eos()));
    }

    public GenerationResult generate(int[] prompt, GenerationConfig config) {
        return generate(prompt, config, TokenListener.NONE, CancellationToken.none());
    }

    /**
     * Continues {@code prompt}.
     *
     * @param prompt token ids, BOS included if the model wants one; not empty
     * @param listener receives each token and the text it makes final; {@link TokenListener#NONE} for none
     * @param cancel checked between tokens; the generating thread's interrupt works too (its flag
     *     is left set)
     * @throws IllegalArgumentException for an empty prompt or a token outside the vocabulary
     */
    public GenerationResult generate(int[] prompt, GenerationConfig config, TokenListener listener,
            CancellationToken cancel) {
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(listener, "listener");
        Objects.requireNonNull(cancel, "cancel");
        if (prompt.length == 0) {
            throw new IllegalArgumentException("empty prompt: give at least one token (BOS)");
        }
        for (int t : prompt) {
            if (t < 0 || t >= session.vocabularySize()) {
                throw new IllegalArgumentException("prompt token " + t + " outside the vocabulary of " + session.vocabularySize());
            }
        }
        try {
            return run(prompt, config, listener, cancel);
        } catch (RuntimeException | Error e) {
            cacheKnown = false; // the session may hold part of what was being evaluated
            throw e;
        }
    }

    public GenerationResult chat(List<ChatMessage> messages, GenerationConfig config) {
        return chat(messages, config, TokenListener.NONE, CancellationToken.none());
    }

    /**
     * Renders {@code messages} with the chat template, opening an assistant turn, and generates
     * the reply.
     *
     * @throws IllegalStateException if this generator has no chat template
     * @throws io.agentcouncil.template.ChatTemplateException if the template rejects the messages
     */
    public GenerationResult chat(List<ChatMessage> messages, GenerationConfig config, TokenListener listener,
            CancellationToken cancel) {
        return generate(chatPrompt(messages), config, listener, cancel);
    }

    /**
     * The prompt tokens for {@code messages}: the template's rendering (with the assistant turn
     * opened), encoded with special tokens parsed and BOS added where the model wants it (once,
     * even if the template writes it too).
     */
    public int[] chatPrompt(List<ChatMessage> messages) {
        if (template == null) {
            throw new IllegalStateException("no chat template: the model has none; give one to the Generator constructor");
        }
        String text = template.render(messages, true);
        int[] ids = tokenizer.encode(text, true, true);
        int bos = tokenizer.vocabulary().bos();
        if (ids.length >= 2 && bos != Vocabulary.NONE && ids[0] == bos && ids[1] == bos) {
            ids = Arrays.copyOfRange(ids, 1, ids.length); // the template wrote bos_token and the encoder added one
        }
        return ids;
    }

    /** The tokens this generator believes its session's cache holds, oldest first. */
    public int[] cachedTokens() {
        return Arrays.copyOf(cached, cachedLength);
    }

    /** Empties the session's cache: the next prompt is evaluated whole. */
    public void reset() {
        session.truncate(0);
        cachedLength = 0;
        cacheKnown = true;
    }

    public ModelSession session() {
        return session;
    }

    public Tokenizer tokenizer() {
        return tokenizer;
    }

    /** The chat template, or null. */
    public ChatTemplate template() {
        return template;
    }

    /** Closes the session. */
    @Override
    public void close() {
        session.close();
    }

    // ------------------------------------------------------------------------------------------

    private GenerationResult run(int[] prompt, GenerationConfig config, TokenListener listener, CancellationToken cancel) {
        long start = System.nanoTime();
        long seed = config.seed().orElseGet(() -> ThreadLocalRandom.current().nextLong());
        if (prompt.length > session.capacity()) {
            return new GenerationResult("", List.of(), StopReason.CONTEXT_FULL,
                    new GenerationTimings(prompt.length, 0, 0, 0, 0, 0, 0, millisSince(start)), seed);
        }

        // Keep the longest common prefix of the cache and the prompt, minus at least the last prompt token.
        if (!cacheKnown || session.length() != cachedLength) {
            session.truncate(0);
            cachedLength = 0;
            cacheKnown = true;
        }
        int reused = 0;
        int limit = Math.min(cachedLength, prompt.length - 1);
        while (reused < limit && cached[reused] == prompt[reused]) {
            reused++;
        }
        if (cachedLength > reused) {
            session.truncate(reused);
            cachedLength = reused;
        }

        long prefillStart = System.nanoTime();
        float[] logits = null;
        int position = reused;
        while (position < prompt.length) {
            if (isCancelled(cancel)) {
                double prefillMillis = millisSince(prefillStart);
                return new GenerationResult("", List.of(), StopReason.CANCELLED, new GenerationTimings(prompt.length,
                        reused, position - reused, prefillMillis, 0, 0, 0, millisSince(start)), seed);
            }
            int end = Math.min(prompt.length, position + PREFILL_CHUNK);
            logits = session.eval(Arrays.copyOfRange(prompt, position, end));
            remember(prompt, position, end);
            position = end;
        }
        double prefillMillis = millisSince(prefillStart);

        Sampler sampler = new Sampler(config, vocabularySize, seed);
        sampler.acceptAll(prompt, prompt.length);
        Vocabulary vocab = tokenizer.vocabulary();
        TokenDecoder decoder = tokenizer.streamDecoder(false);
        StopStrings stops = new StopStrings(config.stopStrings());
        StringBuilder text = new StringBuilder();
        int emitted = 0;
        List<GeneratedToken> tokens = new ArrayList<>(Math.min(config.maxNewTokens(), 1024));
        int[] top = new int[config.topLogprobs()];
        int[] one = new int[1];
        long firstAt = 0;
        long lastAt = 0;
        StopReason reason = config.maxNewTokens() == 0 ? StopReason.MAX_TOKENS : null;

        while (reason == null) {
            int token = sampler.sample(logits);
            sampler.accept(token);
            GeneratedToken generated = describe(token, logits, top);
            tokens.add(generated);
            lastAt = System.nanoTime();
            if (tokens.size() == 1) {
                firstAt = lastAt;
            }

            boolean endOfGeneration = vocab.isEndOfGeneration(token);
            int before = text.length();
            if (!endOfGeneration) {
                text.append(decoder.append(token));
            }
            int stopAt = stops.find(text, before);
            if (stopAt >= 0) {
                reason = StopReason.STOP_STRING;
            } else if (endOfGeneration) {
                reason = StopReason.EOS;
            } else if (tokens.size() >= config.maxNewTokens()) {
                reason = StopReason.MAX_TOKENS;
            } else if (session.length() >= session.capacity()) {
                reason = StopReason.CONTEXT_FULL; // no room to evaluate this token for the next one
            } else if (isCancelled(cancel)) {
                reason = StopReason.CANCELLED;
            }

            int safeEnd;
            if (reason == null) {
                safeEnd = text.length() - stops.heldBack(text);
                if (safeEnd > emitted && Character.isHighSurrogate(text.charAt(safeEnd - 1))) {
                    safeEnd--; // never split a surrogate pair between two calls
                }
            } else if (reason == StopReason.STOP_STRING) {
                text.setLength(Math.max(stopAt, emitted)); // stopAt >= emitted: a stop string's start is always held back
                safeEnd = text.length();
            } else {
                text.append(decoder.finish()); // release bytes of a character that never completed
                safeEnd = text.length();
            }
            String delta = safeEnd > emitted ? text.substring(emitted, safeEnd) : "";
            emitted = Math.max(emitted, safeEnd);
            listener.onToken(generated, delta);
            if (reason == null && isCancelled(cancel)) {
                // Cancelled from the listener (or just now): this token is the last and is not
                // evaluated; the reply is what was streamed, held-back text dropped.
                reason = StopReason.CANCELLED;
                text.setLength(emitted);
            }

            if (reason == null) {
                one[0] = token;
                logits = session.eval(one);
                remember(one, 0, 1);
            }
        }

        long end = System.nanoTime();
        GenerationTimings timings = new GenerationTimings(prompt.length, reused, prompt.length - reused, prefillMillis,
                tokens.isEmpty() ? 0 : (firstAt - start) / 1e6, tokens.size(),
                tokens.isEmpty() ? 0 : (lastAt - firstAt) / 1e6, (end - start) / 1e6);
        return new GenerationResult(text.toString(), tokens, reason, timings, seed);
    }

    /** The token with its log-probability and the most likely alternatives, from the raw logits. */
    private GeneratedToken describe(int token, float[] logits, int[] top) {
        double normalizer = LogProbs.logNormalizer(logits);
        float logprob = LogProbs.logProb(logits[token], normalizer);
        int count = LogProbs.topN(logits, vocabularySize, top);
        List<TokenAlternative> alternatives = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int id = top[i];
            alternatives.add(new TokenAlternative(id, piece(id), LogProbs.logProb(logits[id], normalizer)));
        }
        return new GeneratedToken(token, piece(token), logprob, alternatives);
    }

    private String piece(int id) {
        return new String(tokenizer.piece(id, true), StandardCharsets.UTF_8);
    }

    private void remember(int[] tokens, int from, int to) {
        int n = to - from;
        if (cachedLength + n > cached.length) {
            cached = Arrays.copyOf(cached, Math.max(cached.length * 2, cachedLength + n));
        }
        System.arraycopy(tokens, from, cached, cachedLength, n);
        cachedLength += n;
    }

    private static boolean isCancelled(CancellationToken cancel) {
        return cancel.isCancelled() || Thread.currentThread().isInterrupted();
    }

    private static double millisSince(long start) {
        return (System.nanoTime() - start) / 1e6;
    }
}
