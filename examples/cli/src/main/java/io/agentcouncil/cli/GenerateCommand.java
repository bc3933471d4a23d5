package io.agentcouncil.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentcouncil.engine.LocalModel;
import io.agentcouncil.generation.CancellationToken;
import io.agentcouncil.generation.GeneratedToken;
import io.agentcouncil.generation.GenerationConfig;
import io.agentcouncil.generation.GenerationResult;
import io.agentcouncil.generation.GenerationTimings;
import io.agentcouncil.generation.Generator;
import io.agentcouncil.generation.StopReason;
import io.agentcouncil.generation.TokenAlternative;
import io.agentcouncil.generation.TokenListener;
import io.agentcouncil.template.ChatMessage;
import io.agentcouncil.template.ChatTemplateException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code agentcouncil generate [MODEL] PROMPT}: one reply from a local model, streamed to stdout
 * as it is generated, or one JSON document with every token's log-probability.
 */
@Command(name = "generate", mixinStandardHelpOptions = true, sortOptions = false,
        customSynopsis = "agentcouncil generate [OPTIONS] [MODEL] PROMPT",
        description = {"Generate a reply to PROMPT with a local model, streaming it to stdout as it is generated; "
                + "timings and a summary go to stderr.",
                "PROMPT is sent as a user message through the model's own chat template, or continued as plain "
                        + "text with --raw. Decoding is greedy unless --temperature is above 0.",
                "MODEL is a roster name (see 'agentcouncil models') or a path to a GGUF file; without it, Agent-0 ("
                        + InspectCommand.DEFAULT_MODEL + "), which is fetched first if needed."})
final class GenerateCommand implements Callable<Integer> {
    /** Context positions when --ctx is not given, or the model's trained length if smaller. */
    static final int DEFAULT_CONTEXT = 2048;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "[MODEL] PROMPT", arity = "1..2",
            description = "An optional model, then the prompt (- reads it from standard input).")
    List<String> positional = new ArrayList<>();

    @Option(names = "--raw", description = "Continue PROMPT as plain text: no chat template, only the model's BOS token before it.")
    boolean raw;

    @Option(names = "--system", paramLabel = "TEXT", description = "A system message before PROMPT (chat only).")
    String system;

    @Option(names = "--special", description = "With --raw: match special-token texts such as <|im_start|> in PROMPT "
            + "as single tokens, to write a chat turn by hand.")
    boolean special;

    @Option(names = {"-n", "--max-tokens"}, paramLabel = "N",
            description = "Hard cap on generated tokens, the end-of-turn token included (default: ${DEFAULT-VALUE}).")
    int maxTokens = GenerationConfig.DEFAULT_MAX_NEW_TOKENS;

    @Option(names = "--temperature", paramLabel = "T", description = "Sampling temperature; 0 is greedy (default: ${DEFAULT-VALUE}).")
    double temperature = 0;

    @Option(names = "--top-k", paramLabel = "K", description = "Keep the K most likely tokens; 0 is off (default: ${DEFAULT-VALUE}).")
    int topK = 40;

    @Option(names = "--top-p", paramLabel = "P", description = "Nucleus sampling: the most likely tokens up to probability P; 1 is off (default: ${DEFAULT-VALUE}).")
    double topP = 0.95;

    @Option(names = "--min-p", paramLabel = "P", description = "Drop tokens less likely than P times the most likely; 0 is off (default: ${DEFAULT-VALUE}).")
    double minP = 0.05;

    @Option(names = {"--repetition-penalty", "--repeat-penalty"}, paramLabel = "X",
            description = "llama.cpp's repeat penalty on recently seen tokens; 1 is off (default: ${DEFAULT-VALUE}).")
    double repetitionPenalty = 1.0;

    @Option(names = {"--repetition-window", "--repeat-last-n"}, paramLabel = "N",
            description = "How many latest tokens, prompt included, the penalty looks at (default: ${DEFAULT-VALUE}).")
    int repetitionWindow = 64;

    @Option(names = "--seed", paramLabel = "N", description = "Random seed, for reproducible sampling (default: a fresh one, reported).")
    Long seed;

    @Option(names = "--stop", paramLabel = "TEXT", description = "End generation at TEXT, which is not printed; repeatable.")
    List<String> stops = new ArrayList<>();

    @Option(names = "--top-logprobs", paramLabel = "N",
            description = "Alternatives reported per token in the JSON output (default: ${DEFAULT-VALUE}).")
    int topLogprobs = GenerationConfig.DEFAULT_TOP_LOGPROBS;

    @Option(names = "--threads", paramLabel = "N", description = "Threads to evaluate with; 0 is all cores (default: ${DEFAULT-VALUE}).")
    int threads = 0;

    @Option(names = "--ctx", paramLabel = "N", description = "Context positions: prompt plus reply (default: "
            + DEFAULT_CONTEXT + ", or the model's trained length if smaller).")
    Integer ctx;

    @Option(names = "--json", description = "Print one JSON document instead of streaming: the text, every token with "
            + "its log-probability and alternatives, the stop reason and timings.")
    boolean json;

    @Override
    public Integer call() throws IOException, InterruptedException {
        if (positional.size() > 2) {
            throw usage("expected [MODEL] PROMPT but got " + positional.size() + " arguments: quote the prompt");
        }
        String modelArg = positional.size() == 2 ? positional.get(0) : null;
        String promptArg = positional.get(positional.size() - 1);
        GenerationConfig config = config();
        if (raw && system != null) {
            throw usage("--system needs the chat template: drop --raw or --system");
        }
        if (special && !raw) {
            throw usage("--special only applies to --raw prompts (the chat template already marks its turns)");
        }
        if (threads < 0 || threads > 256) {
            throw usage("--threads must be between 0 (all cores) and 256: " + threads);
        }
        if (ctx != null && (ctx < 1 || ctx > LocalModel.MAX_CONTEXT)) {
            throw usage("--ctx must be between 1 and " + LocalModel.MAX_CONTEXT + ": " + ctx);
        }
        String prompt = "-".equals(promptArg) ? new String(System.in.readAllBytes(), StandardCharsets.UTF_8) : promptArg;

        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Path path = ModelFiles.resolveAgent0Fetching(modelArg, err);
        long loadStart = System.nanoTime();
        try (LocalModel model = ModelFiles.load(path, threads)) {
            double loadMillis = (System.nanoTime() - loadStart) / 1e6;
            int contextLength = ctx != null ? ctx : Math.min(DEFAULT_CONTEXT, Math.max(1, model.trainedContextLength()));
            try (Generator generator = open(model, contextLength)) {
                TokenListener listener = json ? TokenListener.NONE : (token, text) -> {
                    out.print(text);
                    out.flush();
                };
                GenerationResult result = generate(generator, prompt, config, listener);
                if (result.tokens().isEmpty() && result.stopReason() == StopReason.CONTEXT_FULL) {
                    throw new CliException(CliException.USAGE, "the prompt is " + result.timings().promptTokens()
                            + " tokens, which does not leave room for a reply in a context of " + contextLength
                            + " positions: raise --ctx");
                }
                if (json) {
                    Json.print(out, toJson(path, model, prompt, contextLength, config, result, loadMillis));
                } else {
                    if (!result.text().endsWith("\n")) {
                        out.println();
                    }
                    out.flush();
                    err.println(summary(result, config, loadMillis));
                    err.flush();
                }
            }
        }
        return 0;
    }

    private GenerationConfig config() {
        if (maxTokens < 1) {
            throw usage("--max-tokens must be at least 1: " + maxTokens);
        }
        if (!(temperature >= 0) || !Double.isFinite(temperature)) {
            throw usage("--temperature must be a finite number >= 0 (0: greedy): " + temperature);
        }
        if (topK < 0) {
            throw usage("--top-k must be >= 0 (0: off): " + topK);
        }
        if (!(topP > 0 && topP <= 1)) {
            throw usage("--top-p must be above 0 and at most 1 (1: off): " + topP);
        }
        if (!(minP >= 0 && minP < 1)) {
            throw usage("--min-p must be at least 0 and below 1 (0: off): " + minP);
        }
        if (!(repetitionPenalty > 0) || !Double.isFinite(repetitionPenalty)) {
            throw usage("--repetition-penalty must be a finite number above 0 (1: off): " + repetitionPenalty);
        }
        if (repetitionWindow < 0) {
            throw usage("--repetition-window must be >= 0: " + repetitionWindow);
        }
        if (topLogprobs < 0) {
            throw usage("--top-logprobs must be >= 0: " + topLogprobs);
        }
        if (stops.stream().anyMatch(String::isEmpty)) {
            throw usage("--stop needs a non-empty text");
        }
        GenerationConfig.Builder b = GenerationConfig.builder()
                .maxNewTokens(maxTokens)
                .temperature(temperature)
                .topK(topK)
                .topP(topP)
                .minP(minP)
                .repetitionPenalty(repetitionPenalty)
                .repetitionWindow(repetitionWindow)
                .stopStrings(stops)
                .topLogprobs(topLogprobs);
        if (seed != null) {
            b.seed(seed);
        }
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
    }

    private Generator open(LocalModel model, int contextLength) {
        if (raw) {
            return new Generator(model.newSession(contextLength), model.tokenizer());
        }
        if (model.chatTemplate() == null) {
            throw new CliException(CliException.USAGE, model.path() + " has no chat template: use --raw");
        }
        try {
            return Generator.open(model, contextLength);
        } catch (ChatTemplateException e) {
            throw new CliException(CliException.BAD_FILE, model.path() + ": the chat template does not parse (" + e.getMessage()
                    + "); --raw generates without it");
        }
    }

    /** Chat through the model's template (Generator.chat), or the prompt's own tokens with --raw. */
    private GenerationResult generate(Generator generator, String prompt, GenerationConfig config, TokenListener listener) {
        if (raw) {
            int[] ids = generator.tokenizer().encode(prompt, true, special);
            if (ids.length == 0) {
                throw usage("the prompt is empty and the model has no BOS token to start from");
            }
            return generator.generate(ids, config, listener, CancellationToken.none());
        }
        List<ChatMessage> messages = new ArrayList<>();
        if (system != null) {
            messages.add(ChatMessage.system(system));
        }
        messages.add(ChatMessage.user(prompt));
        try {
            return generator.chat(messages, config, listener, CancellationToken.none());
        } catch (ChatTemplateException e) {
            throw new CliException(CliException.BAD_FILE, "the model's chat template failed: " + e.getMessage());
        }
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    private static String summary(GenerationResult r, GenerationConfig config, double loadMillis) {
        GenerationTimings t = r.timings();
        return String.format(Locale.ROOT,
                "[%d %s, stop %s, %s | load %.0f ms, prompt %d tokens (%d reused), prefill %.1f ms (%.1f t/s), "
                        + "first token %.1f ms, decode %.1f t/s, total %.1f ms]",
                t.generatedTokens(), t.generatedTokens() == 1 ? "token" : "tokens", r.stopReason(),
                config.isGreedy() ? "greedy" : "seed " + r.seed(), loadMillis,
                t.promptTokens(), t.reusedTokens(), t.prefillMillis(), t.prefillTokensPerSecond(),
                t.timeToFirstTokenMillis(), t.decodeTokensPerSecond(), t.totalMillis());
    }

    private ObjectNode toJson(Path path, LocalModel model, String prompt, int contextLength, GenerationConfig config,
            GenerationResult r, double loadMillis) {
        ObjectNode doc = Json.object();
        doc.put("model", path.toString());
        doc.put("mode", raw ? "raw" : "chat");
        if (system != null) {
            doc.put("system", system);
        }
        doc.put("prompt", prompt);
        doc.put("text", r.text());
        doc.put("stop_reason", r.stopReason().name());
        doc.put("seed", r.seed());
        doc.put("total_logprob", r.totalLogprob());

        ObjectNode settings = doc.putObject("config");
        settings.put("max_tokens", config.maxNewTokens());
        settings.put("temperature", config.temperature());
        settings.put("top_k", config.topK());
        settings.put("top_p", config.topP());
        settings.put("min_p", config.minP());
        settings.put("repetition_penalty", config.repetitionPenalty());
        settings.put("repetition_window", config.repetitionWindow());
        ArrayNode stopArray = settings.putArray("stop");
        config.stopStrings().forEach(stopArray::add);
        settings.put("top_logprobs", config.topLogprobs());
        settings.put("threads", model.threads());
        settings.put("context_length", contextLength);

        GenerationTimings t = r.timings();
        ObjectNode timings = doc.putObject("timings");
        timings.put("load_ms", loadMillis);
        timings.put("prompt_tokens", t.promptTokens());
        timings.put("reused_tokens", t.reusedTokens());
        timings.put("prefill_tokens", t.prefillTokens());
        timings.put("prefill_ms", t.prefillMillis());
        timings.put("prefill_tokens_per_second", t.prefillTokensPerSecond());
        timings.put("time_to_first_token_ms", t.timeToFirstTokenMillis());
        timings.put("generated_tokens", t.generatedTokens());
        timings.put("decode_ms", t.decodeMillis());
        timings.put("decode_tokens_per_second", t.decodeTokensPerSecond());
        timings.put("total_ms", t.totalMillis());

        ArrayNode tokens = doc.putArray("tokens");
        for (GeneratedToken g : r.tokens()) {
            ObjectNode token = tokens.addObject()
                    .put("id", g.id())
                    .put("text", g.piece())
                    .put("logprob", g.logprob());
            ArrayNode alternatives = token.putArray("alternatives");
            for (TokenAlternative a : g.alternatives()) {
                alternatives.addObject().put("id", a.id()).put("text", a.piece()).put("logprob", a.logprob());
            }
        }
        return doc;
    }
}
