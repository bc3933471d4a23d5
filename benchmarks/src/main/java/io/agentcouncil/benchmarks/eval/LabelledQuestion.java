package io.agentcouncil.benchmarks.eval;

import java.util.Objects;

/**
 * A question with a known answer, for measuring whether a model's reply is right.
 *
 * @param id stable and unique within a set, e.g. {@code gsm8k-17} (line 17 of the file) or
 *     {@code arith-hard-0003}
 * @param kind what sort of question, which also says how {@link AnswerGrader} grades it:
 *     {@link #GSM8K} and {@link #ARITHMETIC} by the last number, {@link #YES_NO} by the first
 *     yes/no word, {@link #FACT} by the expected word appearing
 * @param prompt the user message, instruction for a short answer included
 * @param expected the right answer: a number (digits, optional sign and decimals), "yes"/"no",
 *     or one word
 */
public record LabelledQuestion(String id, String kind, String prompt, String expected) {

    public static final String GSM8K = "gsm8k";
    public static final String ARITHMETIC = "arithmetic";
    public static final String YES_NO = "yesno";
    public static final String FACT = "fact";

    public LabelledQuestion {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(expected, "expected");
    }
}
