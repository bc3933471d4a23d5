package io.agentcouncil.generation;

import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * How to generate: length cap, sampling, stop strings and how many alternatives to report.
 * Immutable and thread-safe; build one with {@link #builder()} and share it.
 *
 * <p>Sampling follows llama.cpp's default chain and its conventions, in this order:
 * repetition penalty, top-k, top-p, min-p, temperature, then a draw from the remaining tokens.
 * Top-p and min-p look at the probabilities at temperature 1 (as llama.cpp does, the temperature
 * is applied last). A temperature of 0 (the default) is greedy decoding: the most likely token
 * after the repetition penalty, whatever the other settings say.
 *
 * <pre>{@code
 * GenerationConfig config = GenerationConfig.builder()
 *         .temperature(0.7).topP(0.9).seed(42)
 *         .stopStrings(List.of("\nUser:"))
 *         .build();
 * }</pre>
 */
public final class GenerationConfig {

    public static final int DEFAULT_MAX_NEW_TOKENS = 160;
    public static final int DEFAULT_TOP_LOGPROBS = 5;

    private static final GenerationConfig DEFAULTS = builder().build();

    private final int maxNewTokens;
    private final double temperature;
    private final int topK;
    private final double topP;
    private final double minP;
    private final double repetitionPenalty;
    private final int repetitionWindow;
    private final Long seed;
    private final List<String> stopStrings;
    private final int topLogprobs;

    private GenerationConfig(Builder b) {
        this.maxNewTokens = b.maxNewTokens;
        this.temperature = b.temperature;
        this.topK = b.topK;
        this.topP = b.topP;
        this.minP = b.minP;
        this.repetitionPenalty = b.repetitionPenalty;
        this.repetitionWindow = b.repetitionWindow;
        this.seed = b.seed;
        this.stopStrings = b.stopStrings;
        this.topLogprobs = b.topLogprobs;
    }

    /** Greedy decoding, at most 160 new tokens, 5 alternatives per token, no stop strings. */
    public static GenerationConfig defaults() {
        return DEFAULTS;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this configuration's values, to derive a variant. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.maxNewTokens = maxNewTokens;
        b.temperature = temperature;
        b.topK = topK;
        b.topP = topP;
        b.minP = minP;
        b.repetitionPenalty = repetitionPenalty;
        b.repetitionWindow = repetitionWindow;
        b.seed = seed;
        b.stopStrings = stopStrings;
        b.topLogprobs = topLogprobs;
        return b;
    }

    /** Hard cap on generated tokens, the end-of-generation token included. Default 160. */
    public int maxNewTokens() {
        return maxNewTokens;
    }

    /** Softmax temperature; 0 means greedy. Default 0. */
    public double temperature() {
        return temperature;
    }

    public boolean isGreedy() {
        return temperature <= 0;
    }

    /** Keep only the k most likely tokens; 0 turns it off. Default 40, as in llama.cpp. */
    public int topK() {
        return topK;
    }

    /** Keep the smallest set of most likely tokens whose probability adds up to at least p; 1 turns it off. Default 0.95. */
    public double topP() {
        return topP;
    }

    /** Drop tokens less likely than {@code minP} times the most likely one; 0 turns it off. Default 0.05. */
    public double minP() {
        return minP;
    }

    /**
     * llama.cpp's repeat penalty: a token seen in the last {@link #repetitionWindow()} tokens
     * (prompt included) has a positive logit divided by it and a negative one multiplied by it,
     * once however often it occurs. 1 turns it off (the default).
     */
    public double repetitionPenalty() {
        return repetitionPenalty;
    }

    /** How many of the latest tokens the repetition penalty looks at. Default 64. */
    public int repetitionWindow() {
        return repetitionWindow;
    }

    /** The random seed; empty means a fresh one per generation, reported in the result. */
    public OptionalLong seed() {
        return seed == null ? OptionalLong.empty() : OptionalLong.of(seed);
    }

    /** Texts that end generation; the text returned stops just before the first one. */
    public List<String> stopStrings() {
        return stopStrings;
    }

    /** How many most likely alternatives to report for each generated token. Default 5. */
    public int topLogprobs() {
        return topLogprobs;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GenerationConfig c && maxNewTokens == c.maxNewTokens && temperature == c.temperature
                && topK == c.topK && topP == c.topP && minP == c.minP && repetitionPenalty == c.repetitionPenalty
                && repetitionWindow == c.repetitionWindow && Objects.equals(seed, c.seed)
                && stopStrings.equals(c.stopStrings) && topLogprobs == c.topLogprobs;
    }

    @Override
    public int hashCode() {
        return Objects.hash(maxNewTokens, temperature, topK, topP, minP, repetitionPenalty, repetitionWindow, seed,
                stopStrings, topLogprobs);
    }

    @Override
    public String toString() {
        return "GenerationConfig{maxNewTokens=" + maxNewTokens + ", temperature=" + temperature + ", topK=" + topK
                + ", topP=" + topP + ", minP=" + minP + ", repetitionPenalty=" + repetitionPenalty
                + ", repetitionWindow=" + repetitionWindow + ", seed=" + (seed == null ? "random" : seed)
                + ", stopStrings=" + stopStrings + ", topLogprobs=" + topLogprobs + "}";
    }

    /** Collects settings; {@link #build()} checks them. Not thread-safe. */
    public static final class Builder {
        private int maxNewTokens = DEFAULT_MAX_NEW_TOKENS;
        private double temperature = 0;
        private int topK = 40;
        private double topP = 0.95;
        private double minP = 0.05;
        private double repetitionPenalty = 1.0;
        private int repetitionWindow = 64;
        private Long seed;
        private List<String> stopStrings = List.of();
        private int topLogprobs = DEFAULT_TOP_LOGPROBS;

        private Builder() {}

        /** 0 only evaluates the prompt (useful to prime the cache). */
        public Builder maxNewTokens(int n) {
            this.maxNewTokens = n;
            return this;
        }

        public Builder temperature(double t) {
            this.temperature = t;
            return this;
        }

        /** Greedy decoding: temperature 0. */
        public Builder greedy() {
            return temperature(0);
        }

        public Builder topK(int k) {
            this.topK = k;
            return this;
        }

        public Builder topP(double p) {
            this.topP = p;
            return this;
        }

        public Builder minP(double p) {
            this.minP = p;
            return this;
        }

        public Builder repetitionPenalty(double penalty) {
            this.repetitionPenalty = penalty;
            return this;
        }

        public Builder repetitionWindow(int tokens) {
            this.repetitionWindow = tokens;
            return this;
        }

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** A fresh seed per generation (the default). */
        public Builder randomSeed() {
            this.seed = null;
            return this;
        }

        public Builder stopStrings(List<String> stops) {
            this.stopStrings = List.copyOf(stops);
            return this;
        }

        public Builder stopStrings(String... stops) {
            return stopStrings(List.of(stops));
        }

        public Builder topLogprobs(int n) {
            this.topLogprobs = n;
            return this;
        }

        /** @throws IllegalArgumentException for a setting out of range */
        public GenerationConfig build() {
            require(maxNewTokens >= 0, "maxNewTokens must be >= 0: " + maxNewTokens);
            require(temperature >= 0 && Double.isFinite(temperature), "temperature must be finite and >= 0: " + temperature);
            require(topK >= 0, "topK must be >= 0 (0 = off): " + topK);
            require(topP > 0 && topP <= 1, "topP must be in (0, 1]: " + topP);
            require(minP >= 0 && minP < 1, "minP must be in [0, 1): " + minP);
            require(repetitionPenalty > 0 && Double.isFinite(repetitionPenalty),
                    "repetitionPenalty must be finite and > 0 (1 = off): " + repetitionPenalty);
            require(repetitionWindow >= 0, "repetitionWindow must be >= 0: " + repetitionWindow);
            require(topLogprobs >= 0, "topLogprobs must be >= 0: " + topLogprobs);
            for (String s : stopStrings) {
                require(!s.isEmpty(), "a stop string must not be empty");
            }
            return new GenerationConfig(this);
        }

        private static void require(boolean ok, String message) {
            if (!ok) {
                throw new IllegalArgumentException(message);
            }
        }
    }
}
