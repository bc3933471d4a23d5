package io.agentcouncil.benchmarks.eval;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The labelled set the evaluations share: a quarter GSM8K problems, the rest generated
 * arithmetic, yes/no and fact-in-context questions in equal parts.
 *
 * <p><b>Prompt format.</b> Each question is one user message whose text ends with an
 * instruction for a short answer ("Answer with just the number.", "Answer with yes or no.",
 * "Answer with one word."), sent through the model's own chat template under the system prompt
 * {@link #SYSTEM_PROMPT}. A short answer keeps the reply, and so the confidence, about the answer
 * itself rather than about a paragraph of reasoning.
 */
public final class QuestionSet {

    /** The system message the questions are asked under. */
    public static final String SYSTEM_PROMPT = "Reply with only the final answer. No explanation.";

    private QuestionSet() {}

    /**
     * {@code n} questions: {@code n / 4} from the GSM8K file (none if {@code gsm8k} is null), the
     * rest split evenly between arithmetic, yes/no and fact questions (the first kinds get one
     * more when it does not divide). Deterministic in {@code seed}. Grouped by kind, in the order
     * GSM8K, arithmetic, yes/no, fact.
     */
    public static List<LabelledQuestion> mixed(int n, long seed, Path gsm8k) throws IOException {
        if (n < 0) {
            throw new IllegalArgumentException("n must be >= 0: " + n);
        }
        int fromFile = gsm8k == null ? 0 : n / 4;
        int generated = n - fromFile;
        int[] counts = new int[3];
        for (int k = 0; k < 3; k++) {
            counts[k] = generated / 3 + (k < generated % 3 ? 1 : 0);
        }
        List<LabelledQuestion> out = new ArrayList<>(n);
        if (fromFile > 0) {
            out.addAll(Gsm8kQuestions.sample(gsm8k, fromFile, seed));
        }
        out.addAll(GeneratedQuestions.arithmetic(counts[0], seed));
        out.addAll(GeneratedQuestions.yesNo(counts[1], seed));
        out.addAll(GeneratedQuestions.factInContext(counts[2], seed));
        return out;
    }
}
