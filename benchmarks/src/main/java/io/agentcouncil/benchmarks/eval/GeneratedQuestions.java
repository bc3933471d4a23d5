package io.agentcouncil.benchmarks.eval;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Procedurally generated questions with known answers, of graded difficulty, so that a small
 * model gets a real mix of right and wrong answers (GSM8K alone is almost all wrong for a 135M
 * model). Deterministic: the same seed and count give the same questions, on any JVM
 * ({@link Random} is specified bit for bit). Each kind draws from its own stream, so asking for
 * more of one kind does not change the others.
 */
public final class GeneratedQuestions {

    static final String NUMBER_INSTRUCTION = "Answer with just the number.";
    static final String YES_NO_INSTRUCTION = "Answer with yes or no.";
    static final String WORD_INSTRUCTION = "Answer with one word.";

    private static final List<String> NAMES = List.of("Mia", "Tom", "Ava", "Leo", "Zoe", "Sam", "Nina", "Omar",
            "Lily", "Ben", "Iris", "Max", "Ella", "Raj", "Maya", "Finn");
    private static final List<String> OBJECTS = List.of("bike", "car", "hat", "kite", "scarf", "door", "umbrella",
            "backpack");
    private static final List<String> COLOURS = List.of("red", "blue", "green", "yellow", "purple", "orange", "pink",
            "brown", "black", "white", "turquoise", "silver");
    private static final List<String> CITIES = List.of("Paris", "Oslo", "Cairo", "Lima", "Tokyo", "Madrid", "Dublin",
            "Nairobi", "Toronto", "Berlin", "Sydney", "Mumbai");
    private static final List<String> ANIMALS = List.of("dog", "cat", "parrot", "rabbit", "hamster");
    private static final List<String> PET_NAMES = List.of("Rex", "Luna", "Biscuit", "Pepper", "Milo", "Daisy", "Oscar",
            "Coco", "Shadow", "Ziggy");

    private GeneratedQuestions() {}

    /**
     * {@code n} sums, differences and products, a third each easy (single digits), medium (two
     * digits, or two by one for a product) and hard (three digits, or two by two); results are
     * never negative.
     */
    public static List<LabelledQuestion> arithmetic(int n, long seed) {
        Random r = new Random(seed ^ 0x41524954L);
        List<LabelledQuestion> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String level = switch (i % 3) { case 0 -> "easy"; case 1 -> "medium"; default -> "hard"; };
            int op = r.nextInt(3);
            long a;
            long b;
            switch (level) {
                case "easy" -> { a = between(r, 1, 9); b = between(r, 1, 9); }
                case "medium" -> { a = between(r, 10, 99); b = op == 2 ? between(r, 2, 9) : between(r, 10, 99); }
                default -> {
                    if (op == 2) {
                        boolean twoByTwo = r.nextBoolean();
                        a = twoByTwo ? between(r, 11, 99) : between(r, 100, 999);
                        b = twoByTwo ? between(r, 11, 99) : between(r, 3, 9);
                    } else {
                        a = between(r, 100, 999);
                        b = between(r, 100, 999);
                    }
                }
            }
            if (op == 1 && a < b) { // keep differences non-negative
                long t = a;
                a = b;
                b = t;
            }
            String symbol = switch (op) { case 0 -> "+"; case 1 -> "-"; default -> "x"; };
            long answer = switch (op) { case 0 -> a + b; case 1 -> a - b; default -> a * b; };
            out.add(new LabelledQuestion(String.format("arith-%s-%04d", level, i), LabelledQuestion.ARITHMETIC,
                    "What is " + a + " " + symbol + " " + b + "? " + NUMBER_INSTRUCTION, Long.toString(answer)));
        }
        return out;
    }

    /**
     * {@code n} yes/no questions, cycling through comparisons ("Is 17 greater than 9?", "less
     * than"), parity ("Is 12 an even number?", "odd") and a checked sum ("Is 7 + 5 equal to
     * 13?"); each answer is drawn first, so about half are yes.
     */
    public static List<LabelledQuestion> yesNo(int n, long seed) {
        Random r = new Random(seed ^ 0x59455321L);
        List<LabelledQuestion> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            boolean yes = r.nextBoolean();
            String question;
            switch (i % 5) {
                case 0, 1 -> {
                    boolean greater = i % 5 == 0;
                    int x = between(r, 1, 99);
                    int y;
                    do {
                        y = between(r, 1, 99);
                    } while (y == x);
                    int big = Math.max(x, y);
                    int small = Math.min(x, y);
                    // "Is big greater than small?" is yes; swap the pair for no; likewise for "less".
                    boolean bigFirst = greater == yes;
                    question = "Is " + (bigFirst ? big : small) + (greater ? " greater than " : " less than ")
                            + (bigFirst ? small : big) + "?";
                }
                case 2, 3 -> {
                    boolean even = i % 5 == 2;
                    int k = between(r, 1, 49) * 2; // even
                    int number = (even == yes) ? k : k - 1;
                    question = "Is " + number + (even ? " an even number?" : " an odd number?");
                }
                default -> {
                    int x = between(r, 1, 20);
                    int y = between(r, 1, 20);
                    int off = between(r, 1, 3) * (r.nextBoolean() ? 1 : -1);
                    question = "Is " + x + " + " + y + " equal to " + (yes ? x + y : x + y + off) + "?";
                }
            }
            out.add(new LabelledQuestion(String.format("yesno-%04d", i), LabelledQuestion.YES_NO,
                    question + " " + YES_NO_INSTRUCTION, yes ? "yes" : "no"));
        }
        return out;
    }

    /**
     * {@code n} questions answered by a context of two to four facts of one sort (the colour of
     * someone's thing, the city someone lives in, the name of someone's pet), with different
     * people and different answers, so the other facts are plausible wrong answers.
     */
    public static List<LabelledQuestion> factInContext(int n, long seed) {
        Random r = new Random(seed ^ 0x46414354L);
        List<LabelledQuestion> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int facts = 2 + i % 3;
            int asked = r.nextInt(facts);
            List<String> people = pick(NAMES, facts, r);
            StringBuilder context = new StringBuilder();
            String question = null;
            String answer = null;
            switch (r.nextInt(3)) {
                case 0 -> {
                    List<String> colours = pick(COLOURS, facts, r);
                    for (int f = 0; f < facts; f++) {
                        String thing = OBJECTS.get(r.nextInt(OBJECTS.size()));
                        context.append(people.get(f)).append("'s ").append(thing).append(" is ").append(colours.get(f)).append(". ");
                        if (f == asked) {
                            question = "What colour is " + people.get(f) + "'s " + thing + "?";
                            answer = colours.get(f);
                        }
                    }
                }
                case 1 -> {
                    List<String> cities = pick(CITIES, facts, r);
                    for (int f = 0; f < facts; f++) {
                        context.append(people.get(f)).append(" lives in ").append(cities.get(f)).append(". ");
                    }
                    question = "In which city does " + people.get(asked) + " live?";
                    answer = cities.get(asked);
                }
                default -> {
                    List<String> pets = pick(PET_NAMES, facts, r);
                    for (int f = 0; f < facts; f++) {
                        String animal = ANIMALS.get(r.nextInt(ANIMALS.size()));
                        context.append(people.get(f)).append("'s ").append(animal).append(" is called ").append(pets.get(f)).append(". ");
                        if (f == asked) {
                            question = "What is " + people.get(f) + "'s " + animal + " called?";
                            answer = pets.get(f);
                        }
                    }
                }
            }
            out.add(new LabelledQuestion(String.format("fact-%04d", i), LabelledQuestion.FACT,
                    context + question + " " + WORD_INSTRUCTION, answer));
        }
        return out;
    }

    private static int between(Random r, int lo, int hi) {
        return lo + r.nextInt(hi - lo + 1);
    }

    /** {@code k} different elements of {@code from}, in random order. */
    private static List<String> pick(List<String> from, int k, Random r) {
        List<String> copy = new ArrayList<>(from);
        Collections.shuffle(copy, r);
        return copy.subList(0, k);
    }
}
