package io.agentcouncil.council;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The default router: intent by the words a message shares with each specialist's description
 * and keywords, plus the marks of code (fences, braces, semicolons, {@code def}/{@code class})
 * for specialists about code. The best-scoring {@code members} specialists answer; when no word
 * matches, the first specialist registered does (the general one, by convention).
 *
 * <p>This is lexical similarity, cheap and predictable. A router on sentence embeddings fits
 * the same interface.
 */
public final class KeywordRouter implements Router {

    private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}+#]+");
    private static final Pattern CODE = Pattern.compile(
            "```|[{};]\\s*$|\\b(def|class|function|return|import|public|void|int|printf|println)\\b|[a-z_]+\\(.*\\)",
            Pattern.MULTILINE);
    private static final Set<String> STOP = Set.of("a", "an", "and", "are", "as", "at", "be", "by", "for", "from",
            "how", "in", "is", "it", "of", "on", "or", "that", "the", "this", "to", "what", "which", "with", "you",
            "your", "questions", "question", "answers", "answer", "about", "general", "other", "anything");
    private static final Set<String> CODE_WORDS = Set.of("code", "coding", "programming", "program", "software");

    private final int members;

    private KeywordRouter(int members) {
        if (members < 1) {
            throw new IllegalArgumentException("members must be at least 1, got " + members);
        }
        this.members = members;
    }

    /** Consults the single best specialist. */
    public static KeywordRouter single() {
        return new KeywordRouter(1);
    }

    /** Consults up to {@code members} specialists. */
    public static KeywordRouter upTo(int members) {
        return new KeywordRouter(members);
    }

    @Override
    public List<String> route(String message, List<SpecialistInfo> specialists) {
        if (specialists.isEmpty()) {
            return List.of();
        }
        Set<String> words = words(message);
        boolean looksLikeCode = CODE.matcher(message).find();
        List<Scored> scored = new ArrayList<>();
        for (int i = 0; i < specialists.size(); i++) {
            SpecialistInfo s = specialists.get(i);
            Set<String> vocabulary = words(s.description());
            for (String k : s.keywords()) {
                vocabulary.addAll(words(k));
            }
            int score = 0;
            for (String w : words) {
                if (vocabulary.contains(w)) {
                    score += 2;
                }
            }
            if (looksLikeCode && vocabulary.stream().anyMatch(CODE_WORDS::contains)) {
                score += 3;
            }
            scored.add(new Scored(s.name(), score, i));
        }
        scored.sort(Comparator.comparingInt(Scored::score).reversed().thenComparingInt(Scored::order));
        if (scored.get(0).score() == 0) {
            return List.of(specialists.get(0).name());
        }
        return scored.stream().filter(s -> s.score() > 0).limit(members).map(Scored::name).toList();
    }

    /** Lower-case words of two or more characters, stop words out, a plural's "s" dropped. */
    static Set<String> words(String text) {
        Set<String> out = new HashSet<>();
        var m = WORD.matcher(text.toLowerCase(Locale.ROOT));
        while (m.find()) {
            String w = m.group();
            if (w.length() < 2 || STOP.contains(w)) {
                continue;
            }
            if (w.length() > 3 && w.endsWith("s") && !w.endsWith("ss")) {
                w = w.substring(0, w.length() - 1);
            }
            out.add(w);
        }
        return out;
    }

    private record Scored(String name, int score, int order) {}
}
