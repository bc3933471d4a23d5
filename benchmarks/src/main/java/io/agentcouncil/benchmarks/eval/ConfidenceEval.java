package io.agentcouncil.benchmarks.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.agentcouncil.engine.LocalModel;
import io.agentcouncil.generation.CancellationToken;
import io.agentcouncil.generation.GeneratedToken;
import io.agentcouncil.generation.GenerationConfig;
import io.agentcouncil.generation.GenerationResult;
import io.agentcouncil.generation.Generator;
import io.agentcouncil.models.ModelRoster;
import io.agentcouncil.template.ChatMessage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Measures how well Agent-0's confidence estimators predict that its answer is correct, on the
 * labelled {@link QuestionSet}, and whether the gate could decide after the first K tokens.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.agentcouncil.benchmarks.eval.ConfidenceEval \
 *     [--n 400] [--seed 42] [--out benchmarks/target/confidence-eval] [--gsm8k PATH] \
 *     [--model smollm2-135m-instruct] [--threads 2] [--gate 0.65]
 * </pre>
 *
 * One model load, one session: every question is a fresh two-message chat (system prompt and
 * question), greedy, at most {@value GenerationConfig#DEFAULT_MAX_NEW_TOKENS} new tokens; the
 * cached system prompt is reused between questions, which changes timings, never tokens. Each
 * estimator scores the whole generation as {@link GenerationResult#tokens()} gives it (the
 * end-of-generation token included), as the gate will. Progress goes to stderr, the tables to
 * stdout, everything (per-question rows with token log-probabilities) to {@code OUT/confidence-eval.json}.
 */
public final class ConfidenceEval {

    static final int[] EARLY_KS = {4, 8, 16, 32};
    private static final int CONTEXT = 1024;

    private ConfidenceEval() {}

    /** The command-line settings. */
    record Options(int n, long seed, Path out, Path gsm8k, String model, int threads, double gate) {

        static Options parse(String[] args) {
            int n = 400;
            long seed = 42;
            Path out = Path.of("benchmarks", "target", "confidence-eval");
            Path gsm8k = Gsm8kQuestions.DEFAULT_PATH;
            String model = "smollm2-135m-instruct";
            int threads = 2;
            double gate = 0.65;
            for (int i = 0; i < args.length; i++) {
                String flag = args[i];
                if (flag.equals("--help") || flag.equals("-h")) {
                    throw new IllegalArgumentException("usage");
                }
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(flag + " needs a value");
                }
                String value = args[++i];
                switch (flag) {
                    case "--n" -> n = Integer.parseInt(value);
                    case "--seed" -> seed = Long.parseLong(value);
                    case "--out" -> out = Path.of(value);
                    case "--gsm8k" -> gsm8k = value.equals("none") ? null : Path.of(value);
                    case "--model" -> model = value;
                    case "--threads" -> threads = Integer.parseInt(value);
                    case "--gate" -> gate = Double.parseDouble(value);
                    default -> throw new IllegalArgumentException("unknown option " + flag);
                }
            }
            if (n < 1) {
                throw new IllegalArgumentException("--n must be >= 1");
            }
            if (gsm8k != null && !Files.isRegularFile(gsm8k)) {
                throw new IllegalArgumentException("no GSM8K file at " + gsm8k.toAbsolutePath().normalize()
                        + ": pass --gsm8k PATH (or --gsm8k none for generated questions only)");
            }
            return new Options(n, seed, out, gsm8k, model, threads, gate);
        }
    }

    public static void main(String[] args) throws IOException {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("ConfidenceEval: " + e.getMessage());
            System.err.println("usage: ConfidenceEval [--n N] [--seed S] [--out DIR] [--gsm8k PATH|none] [--model NAME|PATH]"
                    + " [--threads T] [--gate G]");
            System.exit(2);
            return;
        }
        List<LabelledQuestion> questions = QuestionSet.mixed(options.n(), options.seed(), options.gsm8k());
        List<Estimators.Named> estimators = Estimators.all();
        GenerationConfig config = GenerationConfig.builder().greedy()
                .maxNewTokens(GenerationConfig.DEFAULT_MAX_NEW_TOKENS).topLogprobs(0).build();

        Path modelPath = ModelRoster.get().resolve(options.model());
        long loadStart = System.nanoTime();
        List<EvalRow> rows = new ArrayList<>(questions.size());
        double loadMillis;
        String kernels;
        try (LocalModel model = LocalModel.load(modelPath, options.threads());
             Generator generator = Generator.open(model, CONTEXT)) {
            loadMillis = (System.nanoTime() - loadStart) / 1e6;
            kernels = LocalModel.kernels();
            System.err.printf(Locale.ROOT, "loaded %s in %.0f ms (%s kernels, %d threads); %d questions%n",
                    modelPath.getFileName(), loadMillis, kernels, options.threads(), questions.size());
            long[] tokenNanos = new long[config.maxNewTokens()];
            for (LabelledQuestion q : questions) {
                EvalRow row = ask(generator, q, config, estimators, tokenNanos);
                rows.add(row);
                progress(rows.size(), questions.size(), row);
            }
        }

        List<String> names = estimators.stream().map(Estimators.Named::name).toList();
        ConfidenceReport report = ConfidenceReport.of(rows, names, EARLY_KS, options.gate(), options.seed());
        ReportTable.print(report, System.out);

        Map<String, Object> json = new LinkedHashMap<>();
        json.put("createdAt", Instant.now().toString());
        json.put("model", options.model());
        json.put("modelFile", modelPath.toString());
        json.put("kernels", kernels);
        json.put("threads", options.threads());
        json.put("loadMillis", loadMillis);
        json.put("seed", options.seed());
        json.put("gsm8k", options.gsm8k() == null ? null : options.gsm8k().toAbsolutePath().normalize().toString());
        json.put("systemPrompt", QuestionSet.SYSTEM_PROMPT);
        json.put("generation", config.toString());
        json.put("report", report);
        json.put("rows", rows);
        Files.createDirectories(options.out());
        Path file = options.out().resolve("confidence-eval.json");
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), json);
        System.err.println("wrote " + file.toAbsolutePath().normalize());
    }

    /** Asks one question in a fresh chat and scores the answer with every estimator. */
    static EvalRow ask(Generator generator, LabelledQuestion q, GenerationConfig config,
            List<Estimators.Named> estimators, long[] tokenNanos) {
        List<ChatMessage> messages = List.of(ChatMessage.system(QuestionSet.SYSTEM_PROMPT), ChatMessage.user(q.prompt()));
        int[] count = {0};
        long start = System.nanoTime();
        GenerationResult result = generator.chat(messages, config, (token, text) -> {
            if (count[0] < tokenNanos.length) {
                tokenNanos[count[0]] = System.nanoTime();
            }
            count[0]++;
        }, CancellationToken.none());
        List<GeneratedToken> tokens = result.tokens();
        int n = tokens.size();
        double ms = result.timings().totalMillis();

        double[] msAtK = new double[EARLY_KS.length];
        for (int j = 0; j < EARLY_KS.length; j++) {
            int k = EARLY_KS[j];
            msAtK[j] = k < n && k <= tokenNanos.length ? (tokenNanos[k - 1] - start) / 1e6 : ms;
        }
        Map<String, Double> scores = new LinkedHashMap<>();
        Map<String, double[]> prefixScores = new LinkedHashMap<>();
        for (Estimators.Named e : estimators) {
            scores.put(e.name(), e.score(tokens));
            double[] prefix = new double[EARLY_KS.length];
            for (int j = 0; j < EARLY_KS.length; j++) {
                prefix[j] = e.score(tokens.subList(0, Math.min(EARLY_KS[j], n)));
            }
            prefixScores.put(e.name(), prefix);
        }
        float[] logprobs = new float[n];
        for (int i = 0; i < n; i++) {
            logprobs[i] = tokens.get(i).logprob();
        }
        return new EvalRow(q.id(), q.kind(), q.expected(), result.text(), AnswerGrader.isCorrect(q, result.text()),
                result.stopReason().name(), n, ms, msAtK, scores, prefixScores, logprobs);
    }

    private static void progress(int done, int total, EvalRow row) {
        String reply = row.reply().strip().replace("\n", "\\n");
        if (reply.length() > 50) {
            reply = reply.substring(0, 47) + "...";
        }
        System.err.printf(Locale.ROOT, "[%3d/%d] %-16s %-5s %3d tok %6.0f ms  min=%.3f  expected %s, got \"%s\"%n",
                done, total, row.id(), row.correct() ? "RIGHT" : "wrong", row.tokens(), row.ms(),
                row.scores().getOrDefault("min", Double.NaN), row.expected(), reply);
    }
}
