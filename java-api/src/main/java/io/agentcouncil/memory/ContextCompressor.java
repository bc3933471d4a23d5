package io.agentcouncil.memory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.ToIntFunction;

/**
 * Compresses a session's older turns (all entries before the verbatim window) into a
 * {@link CompressedHistory}, extractively and deterministically, without a model:
 * <ul>
 *   <li>facts: every {@link Fact} the {@link FactExtractor} finds in the user's messages, the
 *       latest value per (subject, attribute), kept where the key was first mentioned;
 *   <li>summary: per user message, one sentence that gave no fact and has at least three words
 *       ("Thanks!" says nothing): its first question, since what the user asked is what the turn
 *       was about ("Another thing I was curious about. What is a comet?"), else its first such
 *       sentence; capped at {@value #MAX_LINE_CHARS} characters. Lines are
 *       taken newest first while their token counts fit the budget, a repeated line once at its
 *       newest place, and put back in the order said. Assistant messages are not summarised: what
 *       the council answered can be answered again, what the user said cannot.
 * </ul>
 * The budget bounds the summary lines' tokens only; facts are not budgeted, since they are few
 * (one per key) and are what the compression exists to keep.
 *
 * <p>Incremental use is as cheap as one turn's entries: {@link #add} folds newly old entries into
 * the previous result and gives exactly what {@link #compress} gives on the whole history, provided
 * the same compressor (same budget and counter) made the previous result. Immutable and
 * thread-safe when the token counter is.
 */
public final class ContextCompressor {

    static final int MAX_LINE_CHARS = 160;
    private static final int MIN_LINE_WORDS = 3;

    private final FactExtractor extractor = new FactExtractor();
    private final ToIntFunction<String> tokens;
    private final int summaryBudget;

    /**
     * @param tokenCounter tokens of a text, e.g. the model's tokenizer's count
     * @param summaryBudget at most this many tokens of summary lines
     */
    public ContextCompressor(ToIntFunction<String> tokenCounter, int summaryBudget) {
        this.tokens = Objects.requireNonNull(tokenCounter, "tokenCounter");
        if (summaryBudget < 0) {
            throw new IllegalArgumentException("summaryBudget must be >= 0, got " + summaryBudget);
        }
        this.summaryBudget = summaryBudget;
    }

    /** A compressor that counts characters: at most {@code chars} characters of summary lines. */
    public static ContextCompressor withCharacterBudget(int chars) {
        return new ContextCompressor(String::length, chars);
    }

    /** The compressed form of a session's older entries, in {@code seq} order. */
    public CompressedHistory compress(List<MemoryEntry> older) {
        return add(CompressedHistory.EMPTY, older);
    }

    /**
     * {@code previous} with entries that have left the verbatim window folded in. Entries up to
     * {@code previous.throughSeq()} are skipped as already folded, so adding one twice is harmless.
     *
     * @param newlyOld one session's entries in increasing {@code seq} order
     * @throws IllegalArgumentException when the new entries' {@code seq} does not increase
     */
    public CompressedHistory add(CompressedHistory previous, List<MemoryEntry> newlyOld) {
        Map<List<String>, Fact> facts = new LinkedHashMap<>();
        for (Fact f : previous.facts()) {
            facts.put(List.of(f.subject(), f.attribute()), f);
        }
        List<String> lines = new ArrayList<>(previous.summary());
        long through = previous.throughSeq();
        for (MemoryEntry e : newlyOld) {
            if (e.seq() <= previous.throughSeq()) {
                continue;
            }
            if (e.seq() <= through) {
                throw new IllegalArgumentException("entries out of order: seq " + e.seq() + " after " + through);
            }
            through = e.seq();
            if ("user".equals(e.role())) {
                String line = fold(e.text(), facts);
                if (line != null) {
                    lines.add(line);
                }
            }
        }
        return new CompressedHistory(List.copyOf(facts.values()), fit(lines), through);
    }

    /**
     * Tokens of the whole history over tokens of what the prompt carries instead: the rendered
     * block plus the verbatim turns. 1 when there is no history; the denominator counts at least
     * one token, so the ratio stays finite.
     *
     * @param older the entries {@code compressed} was made from
     * @param verbatim the entries the prompt carries as they are
     */
    public static double compressionRatio(List<MemoryEntry> older, List<MemoryEntry> verbatim,
            CompressedHistory compressed, ToIntFunction<String> tokenCounter) {
        long verbatimTokens = sum(verbatim, tokenCounter);
        long history = sum(older, tokenCounter) + verbatimTokens;
        if (history == 0) {
            return 1.0;
        }
        long carried = tokenCounter.applyAsInt(compressed.render()) + verbatimTokens;
        return (double) history / Math.max(1, carried);
    }

    /** Puts the message's facts into {@code facts}; returns its summary line, or null for none. */
    private String fold(String text, Map<List<String>, Fact> facts) {
        String question = null;
        String statement = null;
        for (String sentence : FactExtractor.sentences(text)) {
            List<Fact> found = extractor.fromSentence(sentence);
            for (Fact f : found) {
                // put on an existing key replaces the value and keeps the first-mention position
                facts.put(List.of(f.subject(), f.attribute()), f);
            }
            if (found.isEmpty() && sentence.split("\\s+").length >= MIN_LINE_WORDS) {
                if (question == null && sentence.endsWith("?")) {
                    question = sentence;
                } else if (statement == null) {
                    statement = sentence;
                }
            }
        }
        String line = question != null ? question : statement;
        return line == null ? null : cap(line.replaceAll("\\s+", " "));
    }

    /**
     * The newest lines that fit the budget, oldest first. It stops at the first line that does not
     * fit rather than skipping it for a shorter older one: then the lines kept under a smaller
     * budget are always a prefix of those kept under a larger one, which is what makes
     * {@link #add} on a previous result equal to {@link #compress} on everything.
     */
    private List<String> fit(List<String> lines) {
        Deque<String> kept = new ArrayDeque<>();
        Set<String> seen = new HashSet<>();
        int used = 0;
        for (int i = lines.size() - 1; i >= 0; i--) {
            String line = lines.get(i);
            if (seen.contains(line)) {
                continue;
            }
            int cost = tokens.applyAsInt(line);
            if (used + cost > summaryBudget) {
                break;
            }
            used += cost;
            seen.add(line);
            kept.addFirst(line);
        }
        return List.copyOf(kept);
    }

    private static String cap(String sentence) {
        if (sentence.length() <= MAX_LINE_CHARS) {
            return sentence;
        }
        int cut = sentence.lastIndexOf(' ', MAX_LINE_CHARS - 1);
        return sentence.substring(0, cut > 0 ? cut : MAX_LINE_CHARS - 1) + "…";
    }

    private static long sum(List<MemoryEntry> entries, ToIntFunction<String> tokenCounter) {
        long n = 0;
        for (MemoryEntry e : entries) {
            n += tokenCounter.applyAsInt(e.text());
        }
        return n;
    }
}
