package io.agentcouncil.benchmarks.eval;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Decides whether a model's reply answers a {@link LabelledQuestion} correctly. Deliberately
 * lenient about form (a small model rarely answers with the bare token asked for) and strict
 * about content:
 * <ul>
 *   <li>numbers ({@code gsm8k}, {@code arithmetic}, or any kind whose expected answer is a
 *       number): the <em>last</em> number in the reply equals the expected one, so "5 + 3 = 8"
 *       is right for 8; thousands commas, a {@code $} and trailing zeros ({@code 72.0}) do not
 *       matter;</li>
 *   <li>{@code yesno}: the first "yes" or "no" word in the reply;</li>
 *   <li>{@code fact} (and anything else): the expected word appears as a whole word, ignoring
 *       case. A reply that repeats every fact of the context passes too; that is the price of
 *       not parsing free text.</li>
 * </ul>
 */
public final class AnswerGrader {

    /**
     * A number as people write it: optional minus (not one after a number, as in "10-3" or
     * "10 -3", see {@link #MINUS_AFTER_NUMBER}), optional $, digits with or without thousands
     * commas ("3,4" is two numbers), optional decimals ("72." is 72 and a full stop).
     */
    private static final Pattern NUMBER =
            Pattern.compile("(?<![\\d.])(-)?\\$?(\\d{1,3}(?:,\\d{3})+(?!\\d)|\\d+)(\\.\\d+)?");
    private static final Pattern MINUS_AFTER_NUMBER = Pattern.compile("\\d\\s*$");
    private static final Pattern YES_NO = Pattern.compile("\\b(yes|no)\\b", Pattern.CASE_INSENSITIVE);
    private static final Pattern PLAIN_NUMBER = Pattern.compile("-?\\d+(\\.\\d+)?");

    private AnswerGrader() {}

    public static boolean isCorrect(LabelledQuestion question, String reply) {
        String expected = question.expected().trim();
        return switch (question.kind()) {
            case LabelledQuestion.YES_NO -> expected.equalsIgnoreCase(firstYesNo(reply));
            case LabelledQuestion.GSM8K, LabelledQuestion.ARITHMETIC -> sameNumber(expected, lastNumber(reply));
            default -> PLAIN_NUMBER.matcher(expected.replace(",", "")).matches()
                    ? sameNumber(expected, lastNumber(reply))
                    : containsWord(reply, expected);
        };
    }

    /** The last number in {@code text}, normalised (no commas or $), or null for none. */
    static BigDecimal lastNumber(String text) {
        Matcher m = NUMBER.matcher(text);
        BigDecimal last = null;
        while (m.find()) {
            String digits = m.group(2).replace(",", "") + (m.group(3) == null ? "" : m.group(3));
            boolean negative = m.group(1) != null && !MINUS_AFTER_NUMBER.matcher(text.substring(0, m.start())).find();
            BigDecimal value = new BigDecimal(digits);
            last = negative ? value.negate() : value;
        }
        return last;
    }

    /** "yes" or "no", lower case, whichever comes first in {@code text}; null for neither. */
    static String firstYesNo(String text) {
        Matcher m = YES_NO.matcher(text);
        return m.find() ? m.group(1).toLowerCase(Locale.ROOT) : null;
    }

    static boolean containsWord(String text, String word) {
        if (word.isEmpty()) {
            return false;
        }
        // Letters and digits on either side make it part of a longer word ("red" is not in "reduce").
        Pattern p = Pattern.compile("(?<![\\p{L}\\p{N}])" + Pattern.quote(word) + "(?![\\p{L}\\p{N}])",
                Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
        return p.matcher(text).find();
    }

    private static boolean sameNumber(String expected, BigDecimal actual) {
        if (actual == null) {
            return false;
        }
        BigDecimal want = lastNumber(expected);
        return want != null && want.compareTo(actual) == 0; // compareTo: 72.0 equals 72
    }
}
