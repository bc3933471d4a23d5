package io.agentcouncil.benchmarks.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.agentcouncil.AgentCouncil;
import io.agentcouncil.ModelSource;
import io.agentcouncil.Reply;
import io.agentcouncil.Route;
import io.agentcouncil.Stage;
import io.agentcouncil.confidence.TokenProbabilityEstimator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Accuracy against compute of Agent-0 alone, the council alone and the cascade at several gates,
 * on the labelled {@link QuestionSet}, through {@link AgentCouncil#chat} with the roster's models.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.agentcouncil.benchmarks.eval.CascadeEval \
 *     [--n 300] [--seed 7] [--out benchmarks/target/cascade-eval] [--gsm8k PATH] [--threads 2] \
 *     [--agent0 smollm2-135m-instruct] [--general qwen2.5-coder-0.5b-instruct]
 * </pre>
 *
 * The council is the roster's: the general specialist (default the 0.5B Qwen) and the code
 * specialist (the 1.5B Qwen), picked by the default router.
 *
 * Every question is asked once, in a session of its own, of a council whose gate is 1, so it
 * always escalates: the reply's first stage is Agent-0's answer with its confidence, the
 * following ones the council's. Generation is greedy, so the cascade at gate g is exactly
 * "Agent-0's answer where its confidence is at least g, else the council's", and its compute is
 * Agent-0's for every question plus the council's for the escalated ones: one pass gives every
 * gate. Compute is counted two ways, wall milliseconds of the stages and tokens (prompt
 * tokens evaluated plus tokens generated).
 *
 * <p>Two more lines bound what any gate could do with these two tiers. The oracle gate knows the
 * answers: it escalates exactly the questions Agent-0 gets wrong and the council right, the most
 * accuracy for the least compute. "oracle, early" is that gate at no cost for Agent-0's part of
 * an escalated question (a perfect decide-early); no cascade that asks Agent-0 first spends less.
 * Writes {@code cascade-eval.json} (per-question rows,
 * the table) and {@code cascade-eval.png} (accuracy against milliseconds) to {@code --out}.
 */
public final class CascadeEval {

    static final double[] GATES = {0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.65, 0.8, 1.0};

    private CascadeEval() {}

    /** One question's outcome at both tiers. */
    record Row(String id, String kind, double confidence, boolean agent0Correct, boolean councilCorrect, double agent0Ms,
            double councilMs, int agent0Tokens, int councilTokens, String agent0Text, String councilText, List<String> members) {}

    /** One line of the table: a way of answering and what it cost on average per question. */
    record Line(String name, double gate, double accuracy, double meanMs, double meanTokens, double escalated) {}

    public static void main(String[] args) throws IOException {
        int n = 300;
        long seed = 7;
        int threads = 2;
        Path out = Path.of("benchmarks", "target", "cascade-eval");
        Path gsm8k = Gsm8kQuestions.DEFAULT_PATH;
        String agent0 = "smollm2-135m-instruct";
        String general = "qwen2.5-coder-0.5b-instruct";
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--n" -> n = Integer.parseInt(args[++i]);
                case "--seed" -> seed = Long.parseLong(args[++i]);
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                case "--gsm8k" -> gsm8k = Path.of(args[++i]);
                case "--agent0" -> agent0 = args[++i];
                case "--general" -> general = args[++i];
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + " (--n N, --seed S, --threads T, --out DIR, --gsm8k PATH, --agent0 NAME, --general NAME)");
            }
        }
        List<LabelledQuestion> questions = QuestionSet.mixed(n, seed, gsm8k);
        TokenProbabilityEstimator estimator = TokenProbabilityEstimator.defaults(); // the council's default
        List<Row> rows = new ArrayList<>();
        long start = System.nanoTime();
        try (AgentCouncil council = AgentCouncil.builder().agent0(ModelSource.roster(agent0)).threads(threads)
                .confidenceGate(1.0).confidenceEstimator(estimator)
                .systemPrompt(QuestionSet.SYSTEM_PROMPT)
                .specialist("general", "general knowledge, facts, arithmetic and everyday questions",
                        ModelSource.roster(general))
                .specialist("code", "programming and code", ModelSource.roster("qwen2.5-coder-1.5b-instruct"))
                .build()) {
            for (LabelledQuestion q : questions) {
                Reply r = council.chat(q.id(), q.prompt());
                Stage a0 = r.stages().get(0);
                List<Stage> members = r.stages().subList(1, r.stages().size());
                boolean councilAnswered = r.route() == Route.COUNCIL;
                rows.add(new Row(q.id(), q.kind(), a0.confidence(), AnswerGrader.isCorrect(q, a0.text()),
                        councilAnswered && AnswerGrader.isCorrect(q, r.text()), millis(a0), members.stream().mapToDouble(CascadeEval::millis).sum(),
                        a0.tokensIn() + a0.tokensOut(), members.stream().mapToInt(s -> s.tokensIn() + s.tokensOut()).sum(),
                        a0.text(), r.text(), members.stream().map(Stage::model).toList()));
                if (rows.size() % 10 == 0) {
                    System.err.printf(Locale.ROOT, "%d/%d questions, %.0f s%n", rows.size(), questions.size(), (System.nanoTime() - start) / 1e9);
                }
            }
        }
        List<Line> table = table(rows);
        print(table, rows.size());
        Files.createDirectories(out);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("questions", rows.size());
        json.put("seed", seed);
        json.put("estimator", estimator.toString());
        json.put("agent0", agent0);
        json.put("general", general);
        json.put("table", table);
        json.put("rows", rows);
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.resolve("cascade-eval.json").toFile(), json);
        AccuracyComputePlot.write(table, out.resolve("cascade-eval.png"));
        System.out.println("wrote " + out.resolve("cascade-eval.json") + " and " + out.resolve("cascade-eval.png"));
    }

    private static double millis(Stage s) {
        return (s.latency().toNanos() + s.loadTime().toNanos()) / 1e6;
    }

    static List<Line> table(List<Row> rows) {
        int n = rows.size();
        List<Line> lines = new ArrayList<>();
        lines.add(new Line("agent0 only", Double.NaN, count(rows, r -> r.agent0Correct()) / (double) n,
                rows.stream().mapToDouble(Row::agent0Ms).average().orElse(0), rows.stream().mapToInt(Row::agent0Tokens).average().orElse(0), 0));
        lines.add(new Line("council only", Double.NaN, count(rows, r -> r.councilCorrect()) / (double) n,
                rows.stream().mapToDouble(Row::councilMs).average().orElse(0), rows.stream().mapToInt(Row::councilTokens).average().orElse(0), 1));
        for (double g : GATES) {
            int correct = 0;
            int escalated = 0;
            double ms = 0;
            double tokens = 0;
            for (Row r : rows) {
                boolean up = r.confidence() < g;
                escalated += up ? 1 : 0;
                correct += (up ? r.councilCorrect() : r.agent0Correct()) ? 1 : 0;
                ms += r.agent0Ms() + (up ? r.councilMs() : 0);
                tokens += r.agent0Tokens() + (up ? r.councilTokens() : 0);
            }
            lines.add(new Line("cascade", g, correct / (double) n, ms / n, tokens / n, escalated / (double) n));
        }
        int correct = 0;
        int escalated = 0;
        double ms = 0;
        double tokens = 0;
        double keptMs = 0;
        double keptTokens = 0;
        for (Row r : rows) {
            boolean up = !r.agent0Correct() && r.councilCorrect();
            escalated += up ? 1 : 0;
            correct += (r.agent0Correct() || up) ? 1 : 0;
            ms += r.agent0Ms() + (up ? r.councilMs() : 0);
            tokens += r.agent0Tokens() + (up ? r.councilTokens() : 0);
            keptMs += up ? r.councilMs() : r.agent0Ms();
            keptTokens += up ? r.councilTokens() : r.agent0Tokens();
        }
        lines.add(new Line("oracle gate", Double.NaN, correct / (double) n, ms / n, tokens / n, escalated / (double) n));
        lines.add(new Line("oracle, early", Double.NaN, correct / (double) n, keptMs / n, keptTokens / n, escalated / (double) n));
        return lines;
    }

    private static int count(List<Row> rows, java.util.function.Predicate<Row> p) {
        return (int) rows.stream().filter(p).count();
    }

    private static void print(List<Line> table, int n) {
        Line council = table.get(1);
        System.out.printf(Locale.ROOT, "%d questions; ratios are to council only%n", n);
        System.out.printf(Locale.ROOT, "%-14s %5s %9s %9s %10s %10s %9s %9s%n", "answering", "gate", "accuracy", "escalated",
                "ms/q", "tokens/q", "acc/cncl", "ms/cncl");
        for (Line l : table) {
            System.out.printf(Locale.ROOT, "%-14s %5s %8.1f%% %8.1f%% %10.0f %10.1f %8.1f%% %8.1f%%%n", l.name(),
                    Double.isNaN(l.gate()) ? "" : String.format(Locale.ROOT, "%.2f", l.gate()), 100 * l.accuracy(), 100 * l.escalated(),
                    l.meanMs(), l.meanTokens(), 100 * l.accuracy() / council.accuracy(), 100 * l.meanMs() / council.meanMs());
        }
    }
}
