package io.agentcouncil.benchmarks.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GeneratedQuestionsTest {

    private static final Pattern ARITHMETIC = Pattern.compile("What is (\\d+) ([-+x]) (\\d+)\\? Answer with just the number\\.");
    private static final Pattern COMPARE = Pattern.compile("Is (\\d+) (greater|less) than (\\d+)\\?.*");
    private static final Pattern PARITY = Pattern.compile("Is (\\d+) an (even|odd) number\\?.*");
    private static final Pattern SUM = Pattern.compile("Is (\\d+) \\+ (\\d+) equal to (\\d+)\\?.*");

    @Test
    void theSameSeedGivesTheSameQuestions() throws IOException {
        assertEquals(QuestionSet.mixed(90, 7, null), QuestionSet.mixed(90, 7, null));
        assertNotEquals(QuestionSet.mixed(90, 7, null), QuestionSet.mixed(90, 8, null));
    }

    @Test
    void askingForMoreKeepsTheFirstOnes() {
        assertEquals(GeneratedQuestions.arithmetic(10, 3), GeneratedQuestions.arithmetic(20, 3).subList(0, 10));
        assertEquals(GeneratedQuestions.yesNo(10, 3), GeneratedQuestions.yesNo(20, 3).subList(0, 10));
        assertEquals(GeneratedQuestions.factInContext(10, 3), GeneratedQuestions.factInContext(20, 3).subList(0, 10));
    }

    @Test
    void arithmeticAnswersAreRight() {
        for (LabelledQuestion q : GeneratedQuestions.arithmetic(300, 1)) {
            Matcher m = ARITHMETIC.matcher(q.prompt());
            assertTrue(m.matches(), q.prompt());
            long a = Long.parseLong(m.group(1));
            long b = Long.parseLong(m.group(3));
            long want = switch (m.group(2)) { case "+" -> a + b; case "-" -> a - b; default -> a * b; };
            assertEquals(Long.toString(want), q.expected(), q.prompt());
            assertTrue(want >= 0, q.prompt());
            assertTrue(AnswerGrader.isCorrect(q, "The answer is " + want + "."));
        }
    }

    @Test
    void yesNoAnswersAreRightAndBalanced() {
        int yes = 0;
        List<LabelledQuestion> questions = GeneratedQuestions.yesNo(300, 1);
        for (LabelledQuestion q : questions) {
            boolean truth;
            Matcher c = COMPARE.matcher(q.prompt());
            Matcher p = PARITY.matcher(q.prompt());
            Matcher s = SUM.matcher(q.prompt());
            if (c.matches()) {
                int x = Integer.parseInt(c.group(1));
                int y = Integer.parseInt(c.group(3));
                truth = c.group(2).equals("greater") ? x > y : x < y;
            } else if (p.matches()) {
                truth = (Integer.parseInt(p.group(1)) % 2 == 0) == p.group(2).equals("even");
            } else {
                assertTrue(s.matches(), q.prompt());
                truth = Integer.parseInt(s.group(1)) + Integer.parseInt(s.group(2)) == Integer.parseInt(s.group(3));
            }
            assertEquals(truth ? "yes" : "no", q.expected(), q.prompt());
            assertTrue(q.prompt().endsWith("Answer with yes or no."));
            yes += truth ? 1 : 0;
        }
        assertTrue(yes > 120 && yes < 180, "yes answers: " + yes);
    }

    @Test
    void factAnswersAreInTheContextOnce() {
        for (LabelledQuestion q : GeneratedQuestions.factInContext(300, 1)) {
            String context = q.prompt().substring(0, q.prompt().lastIndexOf(". ") + 1);
            int first = context.indexOf(" " + q.expected() + ".");
            assertTrue(first >= 0, q.prompt());
            assertEquals(first, context.lastIndexOf(" " + q.expected() + "."), q.prompt());
            assertTrue(AnswerGrader.isCorrect(q, q.expected().toUpperCase() + "!"));
        }
    }

    @Test
    void idsAreUnique() throws IOException {
        List<LabelledQuestion> all = QuestionSet.mixed(900, 5, null);
        Set<String> ids = new HashSet<>();
        all.forEach(q -> assertTrue(ids.add(q.id()), q.id()));
    }

    @Test
    void theMixIsAQuarterGsm8kAndEqualPartsOfTheRest(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("train.jsonl");
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 30; i++) {
            lines.append("{\"question\": \"Q").append(i).append("?\", \"answer\": \"so\\n#### ").append(i).append("\"}\n");
        }
        Files.writeString(file, lines);
        List<LabelledQuestion> set = QuestionSet.mixed(40, 1, file);
        assertEquals(40, set.size());
        assertEquals(10, set.stream().filter(q -> q.kind().equals(LabelledQuestion.GSM8K)).count());
        assertEquals(10, set.stream().filter(q -> q.kind().equals(LabelledQuestion.ARITHMETIC)).count());
        assertEquals(10, set.stream().filter(q -> q.kind().equals(LabelledQuestion.YES_NO)).count());
        assertEquals(10, set.stream().filter(q -> q.kind().equals(LabelledQuestion.FACT)).count());
        assertEquals(set, QuestionSet.mixed(40, 1, file));
    }
}
