package io.agentcouncil.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentcouncil.engine.LocalModel;
import io.agentcouncil.engine.ModelSession;
import io.agentcouncil.generation.GenerationConfig;
import io.agentcouncil.generation.GenerationResult;
import io.agentcouncil.generation.Generator;
import io.agentcouncil.template.ChatMessage;
import io.agentcouncil.template.ChatTemplateException;
import io.agentcouncil.tokenizer.Tokenizer;
import io.agentcouncil.tokenizer.Vocabulary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code agentcouncil bench [MODEL]}: a quick, user-facing speed check of the native engine on
 * this machine (not the JMH benchmarks): load time, time to first token, prefill and decode rates.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Measure a model's speed on this machine: load time, time to first token, prefill and decode tokens/s.",
                "Time to first token is that of a short chat prompt (\"" + BenchCommand.QUESTION + "\"); prefill is one "
                        + "evaluation of a --prompt-tokens prompt; decode is --decode-tokens greedy tokens after that prompt, "
                        + "one evaluation each (batch 1). Each run loads the model afresh; the median and the min-max "
                        + "range over --runs are shown. A quick check, not the JMH benchmarks.",
                "Without MODEL, measures Agent-0 (" + InspectCommand.DEFAULT_MODEL + "), fetching it first if needed."})
final class BenchCommand implements Callable<Integer> {
    /** The short chat prompt the time to first token is measured on. */
    static final String QUESTION = "What is the capital of France?";
    /** Room for the question in its template, with any default system prompt the template writes. */
    private static final int FIRST_TOKEN_CONTEXT = 1024;
    /** Text repeated to make up the prefill prompt; its content does not change the speed of a dense model. */
    private static final String FILLER = "The council of small models meets in the memory of one process. Each member "
            + "reads the message, weighs its confidence, and answers or passes it on to a larger colleague. ";

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "MODEL", arity = "0..1", description = "A roster name (see 'agentcouncil models') or a path to a GGUF file.")
    String model;

    @Option(names = "--prompt-tokens", paramLabel = "N", description = "Tokens in the prefill prompt (default: ${DEFAULT-VALUE}).")
    int promptTokens = 512;

    @Option(names = "--decode-tokens", paramLabel = "N", description = "Tokens decoded one at a time after it (default: ${DEFAULT-VALUE}).")
    int decodeTokens = 128;

    @Option(names = "--runs", paramLabel = "N", description = "Runs to take the median of (default: ${DEFAULT-VALUE}).")
    int runs = 3;

    @Option(names = "--threads", paramLabel = "N", description = "Threads to evaluate with; 0 is all cores (default: ${DEFAULT-VALUE}).")
    int threads = 2;

    @Option(names = "--json", description = "Print JSON, with every run's figures.")
    boolean json;

    /** One run's figures. */
    record Run(double loadMillis, int questionTokens, double firstTokenMillis, double prefillTokensPerSecond,
            double decodeTokensPerSecond) {}

    @Override
    public Integer call() throws InterruptedException {
        if (promptTokens < 1) {
            throw usage("--prompt-tokens must be at least 1: " + promptTokens);
        }
        if (decodeTokens < 1) {
            throw usage("--decode-tokens must be at least 1: " + decodeTokens);
        }
        if (runs < 1) {
            throw usage("--runs must be at least 1: " + runs);
        }
        if (threads < 0 || threads > 256) {
            throw usage("--threads must be between 0 (all cores) and 256: " + threads);
        }
        if ((long) promptTokens + decodeTokens > LocalModel.MAX_CONTEXT) {
            throw usage("--prompt-tokens plus --decode-tokens must be at most " + LocalModel.MAX_CONTEXT);
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Path path = ModelFiles.resolveAgent0Fetching(model, err);
        String kernels = LocalModel.kernels(); // loads the native library, so that the first load time is the model's own

        // Progress only for a person watching a terminal: it is overwritten in place, which logs and pipes should not see.
        boolean progress = !json && System.console() != null;
        Run[] results = new Run[runs];
        for (int i = 0; i < runs; i++) {
            if (progress) {
                err.print("\rrun " + (i + 1) + " of " + runs + "…");
                err.flush();
            }
            long start = System.nanoTime();
            try (LocalModel m = ModelFiles.load(path, threads)) {
                double loadMillis = millisSince(start);
                int trained = m.trainedContextLength();
                if (trained > 0 && promptTokens + decodeTokens > trained) {
                    throw usage("--prompt-tokens plus --decode-tokens (" + (promptTokens + decodeTokens)
                            + ") exceed the model's context length of " + trained);
                }
                results[i] = measure(m, loadMillis);
            } finally {
                if (progress) {
                    err.print("\r" + " ".repeat(20) + "\r");
                    err.flush();
                }
            }
        }
        if (json) {
            Json.print(out, toJson(path, kernels, results));
        } else {
            printText(out, path, kernels, results);
        }
        return 0;
    }

    private Run measure(LocalModel m, double loadMillis) {
        // Time to first token: what a user waits for, from the message to the first token, template and tokenizer included.
        GenerationConfig one = GenerationConfig.builder().greedy().maxNewTokens(1).topLogprobs(0).build();
        // The session is made before the clock starts: a conversation's session usually outlives one message.
        int questionTokens;
        double firstTokenMillis;
        if (m.chatTemplate() != null) {
            try (Generator g = Generator.open(m, FIRST_TOKEN_CONTEXT)) {
                long start = System.nanoTime();
                GenerationResult r = g.chat(List.of(ChatMessage.user(QUESTION)), one);
                firstTokenMillis = millisSince(start);
                questionTokens = r.timings().promptTokens();
            } catch (ChatTemplateException e) {
                throw new CliException(CliException.BAD_FILE, m.path() + ": the chat template fails: " + e.getMessage());
            }
        } else {
            // A base model without a template: the question as plain text.
            try (Generator g = new Generator(m.newSession(FIRST_TOKEN_CONTEXT), m.tokenizer())) {
                long start = System.nanoTime();
                GenerationResult r = g.generate(m.tokenizer().encode(QUESTION, true, false), one);
                firstTokenMillis = millisSince(start);
                questionTokens = r.timings().promptTokens();
            }
        }

        int[] prompt = prompt(m.tokenizer(), promptTokens);
        try (ModelSession session = m.newSession(promptTokens + decodeTokens)) {
            long prefillStart = System.nanoTime();
            float[] logits = session.eval(prompt);
            double prefillMillis = millisSince(prefillStart);

            int vocabulary = Math.min(session.vocabularySize(), m.tokenizer().vocabulary().size());
            int[] next = new int[1];
            long decodeStart = System.nanoTime();
            for (int i = 0; i < decodeTokens; i++) {
                next[0] = argmax(logits, vocabulary);
                logits = session.eval(next);
            }
            double decodeMillis = millisSince(decodeStart);
            return new Run(loadMillis, questionTokens, firstTokenMillis, promptTokens * 1000.0 / prefillMillis,
                    decodeTokens * 1000.0 / decodeMillis);
        }
    }

    /** Exactly {@code n} tokens: BOS (if the model has one), then English text repeated. */
    static int[] prompt(Tokenizer tokenizer, int n) {
        int[] text = tokenizer.encode(FILLER, false, false);
        int[] ids = new int[n];
        int i = 0;
        int bos = tokenizer.vocabulary().bos();
        if (bos != Vocabulary.NONE) {
            ids[i++] = bos;
        }
        for (int j = 0; i < n; i++, j++) {
            ids[i] = text[j % text.length];
        }
        return ids;
    }

    private static int argmax(float[] logits, int n) {
        int best = 0;
        for (int i = 1; i < n; i++) {
            if (logits[i] > logits[best]) {
                best = i;
            }
        }
        return best;
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    private static double millisSince(long start) {
        return (System.nanoTime() - start) / 1e6;
    }

    /** Median, min and max of one figure over the runs. */
    record Stat(double median, double min, double max) {
        static Stat of(double[] values) {
            double[] v = values.clone();
            Arrays.sort(v);
            int n = v.length;
            double median = n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
            return new Stat(median, v[0], v[n - 1]);
        }
    }

    private ObjectNode toJson(Path path, String kernels, Run[] results) {
        ObjectNode doc = Json.object();
        doc.put("model", path.toString());
        doc.put("kernels", kernels);
        doc.put("threads", threads);
        doc.put("runs", runs);
        doc.put("prompt_tokens", promptTokens);
        doc.put("decode_tokens", decodeTokens);
        doc.put("first_token_prompt", QUESTION);
        doc.put("first_token_prompt_tokens", results[0].questionTokens());
        putStat(doc, "load_ms", Arrays.stream(results).mapToDouble(Run::loadMillis).toArray());
        putStat(doc, "time_to_first_token_ms", Arrays.stream(results).mapToDouble(Run::firstTokenMillis).toArray());
        putStat(doc, "prefill_tokens_per_second", Arrays.stream(results).mapToDouble(Run::prefillTokensPerSecond).toArray());
        putStat(doc, "decode_tokens_per_second", Arrays.stream(results).mapToDouble(Run::decodeTokensPerSecond).toArray());
        return doc;
    }

    private static void putStat(ObjectNode doc, String key, double[] values) {
        Stat s = Stat.of(values);
        ObjectNode node = doc.putObject(key).put("median", s.median()).put("min", s.min()).put("max", s.max());
        ArrayNode all = node.putArray("values");
        Arrays.stream(values).forEach(all::add);
    }

    private void printText(PrintWriter out, Path path, String kernels, Run[] results) {
        out.printf("%-15s%s%n", "model", path);
        out.printf("%-15s%s kernels, %s, %d %s%n", "engine", kernels,
                threads == 0 ? "all cores" : threads + (threads == 1 ? " thread" : " threads"), runs, runs == 1 ? "run" : "runs");
        row(out, "load", "ms", Arrays.stream(results).mapToDouble(Run::loadMillis).toArray(), "");
        row(out, "first token", "ms", Arrays.stream(results).mapToDouble(Run::firstTokenMillis).toArray(),
                results[0].questionTokens() + "-token chat prompt");
        row(out, "prefill", "tokens/s", Arrays.stream(results).mapToDouble(Run::prefillTokensPerSecond).toArray(),
                promptTokens + "-token prompt, one evaluation");
        row(out, "decode", "tokens/s", Arrays.stream(results).mapToDouble(Run::decodeTokensPerSecond).toArray(),
                decodeTokens + " tokens at batch 1");
        out.flush();
    }

    private void row(PrintWriter out, String label, String unit, double[] values, String note) {
        Stat s = Stat.of(values);
        String range = runs == 1 ? "" : String.format(Locale.ROOT, "(%s–%s)", fmt(s.min()), fmt(s.max()));
        String line = String.format(Locale.ROOT, "%-15s%8s %-9s%-16s %s", label, fmt(s.median()), unit, range, note);
        out.println(line.stripTrailing());
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, v >= 100 ? "%.0f" : "%.1f", v);
    }
}
