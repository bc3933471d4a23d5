package io.agentcouncil.benchmarks.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class AnswerGraderTest {

    private static boolean grade(String kind, String expected, String reply) {
        return AnswerGrader.isCorrect(new LabelledQuestion("q", kind, "?", expected), reply);
    }

    @Test
    void numbersTakeTheLastNumberOfTheReply() {
        assertTrue(grade(LabelledQuestion.ARITHMETIC, "8", "8"));
        assertTrue(grade(LabelledQuestion.ARITHMETIC, "8", "5 + 3 = 8."));
        assertTrue(grade(LabelledQuestion.GSM8K, "72", "Natalia sold 48 + 24 = 72 clips."));
        assertFalse(grade(LabelledQuestion.GSM8K, "72", "72 clips, or maybe 73"));
        assertFalse(grade(LabelledQuestion.ARITHMETIC, "8", "eight"));
        assertFalse(grade(LabelledQuestion.ARITHMETIC, "8", ""));
        assertFalse(grade(LabelledQuestion.ARITHMETIC, "8", "18"));
        assertFalse(grade(LabelledQuestion.ARITHMETIC, "8", "8.5"));
    }

    @Test
    void numbersIgnoreCommasDollarsAndTrailingZeros() {
        assertTrue(grade(LabelledQuestion.GSM8K, "1200", "She pays $1,200 in total."));
        assertTrue(grade(LabelledQuestion.GSM8K, "1200", "1200.00"));
        assertTrue(grade(LabelledQuestion.GSM8K, "10", "$10.0"));
        assertTrue(grade(LabelledQuestion.GSM8K, "1,200", "1200"));
        assertTrue(grade(LabelledQuestion.GSM8K, "0.5", "It is .. 0.50"));
    }

    @Test
    void aMinusIsASignOnlyWhenNoNumberComesBeforeIt() {
        assertEquals(new BigDecimal("-5"), AnswerGrader.lastNumber("The result is -5."));
        assertEquals(new BigDecimal("3"), AnswerGrader.lastNumber("10-3"));
        assertEquals(new BigDecimal("3"), AnswerGrader.lastNumber("10 -3"));
        assertEquals(new BigDecimal("3"), AnswerGrader.lastNumber("10 - 3"));
        assertTrue(grade(LabelledQuestion.ARITHMETIC, "7", "10-3=7"));
    }

    @Test
    void commasGroupOnlyThousands() {
        assertEquals(new BigDecimal("4"), AnswerGrader.lastNumber("3,4"));
        assertEquals(new BigDecimal("2345"), AnswerGrader.lastNumber("1,2345"));
        assertEquals(new BigDecimal("1234567"), AnswerGrader.lastNumber("1,234,567"));
        assertNull(AnswerGrader.lastNumber("no digits"));
    }

    @Test
    void yesNoTakesTheFirstYesOrNoWord() {
        assertTrue(grade(LabelledQuestion.YES_NO, "yes", "Yes, 17 is greater than 9."));
        assertTrue(grade(LabelledQuestion.YES_NO, "no", "No."));
        assertTrue(grade(LabelledQuestion.YES_NO, "no", "NO, and yes is wrong"));
        assertFalse(grade(LabelledQuestion.YES_NO, "no", "Yes. No."));
        assertTrue(grade(LabelledQuestion.YES_NO, "yes", "Not quite... yes")); // "Not" is not "no"
        assertFalse(grade(LabelledQuestion.YES_NO, "no", "I know it is true")); // nor is "know"
        assertFalse(grade(LabelledQuestion.YES_NO, "yes", "It is greater."));
    }

    @Test
    void factsNeedTheExpectedWordAsAWholeWord() {
        assertTrue(grade(LabelledQuestion.FACT, "turquoise", "Turquoise."));
        assertTrue(grade(LabelledQuestion.FACT, "turquoise", "Mia's bike is turquoise"));
        assertTrue(grade(LabelledQuestion.FACT, "Oslo", "She lives in oslo."));
        assertFalse(grade(LabelledQuestion.FACT, "red", "It is reddish."));
        assertFalse(grade(LabelledQuestion.FACT, "red", "blue"));
    }

    @Test
    void anUnknownKindGradesNumbersAsNumbersAndWordsAsWords() {
        assertTrue(grade("other", "12", "twelve, i.e. 12.0"));
        assertTrue(grade("other", "Paris", "paris"));
    }
}
