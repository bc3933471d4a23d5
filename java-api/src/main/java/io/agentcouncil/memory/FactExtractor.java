package io.agentcouncil.memory;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads {@link Fact}s from what the user says, with a small set of English patterns: no model,
 * deterministic, stateless and thread-safe. It is deliberately precise rather than broad: a
 * statement it does not recognise is not lost, it stays in the compressed history's summary.
 *
 * <p>A message is split into sentences (at {@code . ! ?} and line breaks) and each sentence into
 * clauses (at {@code , ; :} and spaced dashes); each clause gives at most one fact. A clause is
 * matched case-insensitively as a whole, after dropping a lead-in ("by the way", "btw", "oh",
 * "and", "also", "so", "well", "actually", "yes", "fyi", "just so you know", "for the record",
 * "remember that", "note that") and expanding "I'm", "I've", "I've got". The patterns, first
 * match wins ({@code X} is a noun phrase of one to three words, {@code N} a number in digits or
 * one to twelve in words, stored as digits):
 * <ol>
 *   <li>"I am N [years old]" → (user, age, N)
 *   <li>"I am called|named V", "Call me V" → (user, name, V)
 *   <li>"I have [got] N things" → (user, number of things, N)
 *   <li>"I live in|moved to V", "My X lives in|moved to V" → (user or X, home, V)
 *   <li>"I was born in V", "My X was born in V" → (user or X, birthplace, V)
 *   <li>"I work as V", "My X works as V" → (user or X, job, V)
 *   <li>"I work at|for V", "My X works at|for V" → (user or X, employer, V)
 *   <li>"I am|come from V", "My X is|comes from V" → (user or X, hometown, V)
 *   <li>"My X is|are|'s ..." where "..." is
 *     <ul>
 *       <li>"called|named V" → (X, name, V): "My dog is called Rex."
 *       <li>"N years old" → (X, age, N)
 *       <li>"in|at V" → (X, location, V): "My office is in Berlin."
 *       <li>a colour from the lexicon, optionally shaded ("dark green", "black and white"), unless
 *           X is itself a favourite or a colour → (X, colour, V): "My bike is turquoise."
 *       <li>anything else, when X is possessive "A's B" → (A, B, V): "My sister's name is Mia."
 *       <li>anything else → (user, X, V): "My name is Ada." is (user, name, Ada) and "My
 *           favourite food is sushi." is (user, favourite food, sushi); favourites are the
 *           user's own attributes, like the name.
 *     </ul>
 * </ol>
 * A value V loses a leading "now" and article and a trailing "now", "too", "again", "these days";
 * it must then be one to three words and must not start with a word that marks a state, an
 * opinion or a clause rather than an identity ("very", "going", "fine", "to", ...), so "My day is
 * going well" is no fact. "favorite" and "color" are spelled "favourite" and "colour" in subjects
 * and attributes.
 *
 * <p>No facts come from: questions (a clause ending in "?", "?!"), negated clauses ("My bike is not
 * red.", "I don't live in Oslo": any "not", "never", "no" or "n't"; the negation is not stored,
 * the sentence stays in the summary instead), assistant messages, and anything outside the
 * patterns, notably "I am a teacher" (too ambiguous with "I am a bit tired") and clauses
 * interrupted by commas ("My bike, which I love, is red").
 */
public final class FactExtractor {

    private static final String WORD = "[a-z][a-z'-]*";
    private static final String NP = WORD + "(?: " + WORD + "){0,2}?";
    private static final String NUM = "\\d{1,3}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve";
    private static final List<String> NUMBER_WORDS =
            List.of("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve");
    /** "I" or "my X"; the named group {@code np} is absent for "I". */
    private static final String OWNER = "(?:i|my (?<np>" + NP + "))";
    private static final int MAX_VALUE_WORDS = 3;

    private static final Pattern SENTENCE_BREAK = Pattern.compile("(?<=[.!?])\\s+|\\s*\\R\\s*");
    private static final Pattern CLAUSE_BREAK = Pattern.compile("\\s*[,;:]\\s+|\\s+[-–—]+\\s+");
    private static final Pattern QUESTION = Pattern.compile("\\?[.!?]*$");
    private static final Pattern LEAD_IN = p("^(?:(?:by the way|btw|oh|ok|okay|also|and|so|well|actually|yes|yeah"
            + "|fyi|just so you know|for the record|remember(?: that)?|note that|just) )+");
    private static final Pattern NEGATION = p("\\b(?:not|never|no)\\b|n't\\b");
    private static final Pattern I_AM = p("^i'm\\b");
    private static final Pattern I_HAVE = p("^i(?:'ve| have) got\\b|^i've\\b");
    private static final Pattern CALLED = p("(?:called|named) (.+)");
    private static final Pattern YEARS_OLD = p("(" + NUM + ") years? old");
    private static final Pattern IN_PLACE = p("(?:in|at) (.+)");
    private static final Pattern TRAILING_ADVERBS = p("(?: (?:now|too|again|these days|nowadays))+$");
    private static final Pattern QUOTES = Pattern.compile("^[\"“”']+|[\"“”'.!]+$");
    private static final Pattern LEADING = p("^(?:now )?(?:(?:a|an|the) )?");
    private static final Pattern VALUE_WORD = Pattern.compile("[\\p{L}\\p{N}][\\p{L}\\p{N}'.&-]*");

    /** Words that end a noun phrase: "my friend said it is red" is no fact about "friend said it". */
    private static final Set<String> SUBJECT_STOP = Set.of("i", "it", "this", "that", "he", "she", "they", "we",
            "you", "my", "your", "his", "her", "our", "their", "said", "says", "think", "thinks", "thought", "and",
            "or", "but", "if", "when", "because", "what", "which", "who");
    /** First words of a value that describe a state or start a clause, not an identity. */
    private static final Set<String> VALUE_STOP = Set.of("to", "that", "this", "it", "so", "very", "really", "quite",
            "too", "just", "still", "also", "always", "probably", "maybe", "kind", "sort", "pretty", "going",
            "getting", "being", "like", "about", "what", "how", "why", "when", "where", "which", "who", "good", "fine",
            "great", "ok", "okay", "nice", "bad", "busy", "tired", "here", "there", "done", "back");
    private static final Set<String> COLOURS = Set.of("red", "orange", "yellow", "green", "blue", "purple", "violet",
            "pink", "brown", "black", "white", "grey", "gray", "silver", "gold", "golden", "beige", "turquoise", "teal",
            "cyan", "magenta", "maroon", "navy", "crimson", "scarlet", "amber", "ochre", "olive", "lavender", "lilac",
            "indigo", "coral", "mustard", "emerald", "burgundy", "cream", "ivory", "khaki", "tan", "bronze", "copper",
            "mauve", "peach", "aqua", "lime", "mint", "salmon", "charcoal", "plum", "rust", "sapphire", "ruby", "jade",
            "taupe", "fuchsia", "vermilion", "cerulean", "chartreuse", "periwinkle", "saffron", "sepia");
    private static final Set<String> SHADES = Set.of("light", "dark", "bright", "pale", "deep", "and");

    /** One pattern over a whole normalised clause, and how its match becomes a fact. */
    private record Rule(Pattern pattern, Function<Matcher, Optional<Fact>> fact) {}

    private static final List<Rule> RULES = List.of(
            new Rule(p("i am (" + NUM + ")(?: years? old)?"),
                    m -> Optional.of(new Fact(Fact.USER, "age", number(m.group(1))))),
            new Rule(p("(?:i am (?:called|named)|call me) (.+)"),
                    m -> value(m.group(1)).map(v -> new Fact(Fact.USER, "name", v))),
            new Rule(p("i have (" + NUM + ") (" + WORD + "(?: " + WORD + ")?)"), FactExtractor::count),
            new Rule(p(OWNER + " (?:live|lives|am living|is living) in (?<v>.+)"), m -> owned(m, "home")),
            new Rule(p(OWNER + " (?:moved|have moved|has moved) to (?<v>.+)"), m -> owned(m, "home")),
            new Rule(p(OWNER + " (?:was|were) born in (?<v>.+)"), m -> owned(m, "birthplace")),
            new Rule(p(OWNER + " (?:work|works|am working|is working) as (?<v>.+)"), m -> owned(m, "job")),
            new Rule(p(OWNER + " (?:work|works|am working|is working) (?:at|for) (?<v>.+)"), m -> owned(m, "employer")),
            new Rule(p("(?:i am|i come|my (?<np>" + NP + ") (?:is|are|comes|come)) from (?<v>.+)"),
                    m -> owned(m, "hometown")),
            new Rule(p("my (?<np>" + NP + ") (?:is|are) (?<v>.+)"), FactExtractor::described),
            // "My bike's turquoise": tried only after the rule above, so "My sister's name is Mia" stays possessive.
            new Rule(p("my (?<np>" + NP + ")'s (?<v>.+)"), FactExtractor::described));

    /** The facts in one message, in the order said; none for an assistant's message. */
    public List<Fact> extract(MemoryEntry entry) {
        return "user".equals(entry.role()) ? extract(entry.text()) : List.of();
    }

    /** The facts in one user message, in the order said. */
    public List<Fact> extract(String message) {
        List<Fact> facts = new ArrayList<>();
        for (String sentence : sentences(message)) {
            facts.addAll(fromSentence(sentence));
        }
        return facts;
    }

    /** The message's sentences, trimmed, with their end punctuation. */
    static List<String> sentences(String message) {
        List<String> out = new ArrayList<>();
        for (String s : SENTENCE_BREAK.split(message.strip())) {
            if (!s.isBlank()) {
                out.add(s.strip());
            }
        }
        return out;
    }

    /** The facts of one sentence, one at most per clause. */
    List<Fact> fromSentence(String sentence) {
        List<Fact> facts = new ArrayList<>();
        for (String clause : CLAUSE_BREAK.split(sentence)) {
            fromClause(clause).ifPresent(facts::add);
        }
        return facts;
    }

    private static Optional<Fact> fromClause(String raw) {
        String c = raw.replace('’', '\'').replaceAll("\\s+", " ").strip();
        if (QUESTION.matcher(c).find()) {
            return Optional.empty();
        }
        c = LEAD_IN.matcher(c.replaceAll("[.!?]+$", "")).replaceFirst("");
        if (NEGATION.matcher(c).find()) {
            return Optional.empty();
        }
        c = I_HAVE.matcher(I_AM.matcher(c).replaceFirst("i am")).replaceFirst("i have");
        for (Rule rule : RULES) {
            Matcher m = rule.pattern().matcher(c);
            if (m.matches()) {
                // First match wins even when its value is rejected: a later, looser rule would misread it.
                return rule.fact().apply(m);
            }
        }
        return Optional.empty();
    }

    /** (user or X, attribute, V) for the "I ... / My X ..." verb patterns. */
    private static Optional<Fact> owned(Matcher m, String attribute) {
        String np = m.group("np");
        Optional<String> subject = np == null ? Optional.of(Fact.USER) : subject(np);
        return subject.flatMap(s -> value(m.group("v")).map(v -> new Fact(s, attribute, v)));
    }

    private static Optional<Fact> count(Matcher m) {
        return subject(m.group(2)).map(things -> new Fact(Fact.USER, "number of " + things, number(m.group(1))));
    }

    /** "My X is ...": what the rest says about X decides the attribute. */
    private static Optional<Fact> described(Matcher m) {
        Optional<String> subject = subject(m.group("np"));
        if (subject.isEmpty()) {
            return Optional.empty();
        }
        String np = subject.get();
        String rest = m.group("v");
        Matcher sub = CALLED.matcher(rest);
        if (sub.matches()) {
            return value(sub.group(1)).map(v -> new Fact(np, "name", v));
        }
        sub = YEARS_OLD.matcher(rest);
        if (sub.matches()) {
            return Optional.of(new Fact(np, "age", number(sub.group(1))));
        }
        sub = IN_PLACE.matcher(rest);
        if (sub.matches()) {
            return value(sub.group(1)).map(v -> new Fact(np, "location", v));
        }
        return value(rest).map(v -> {
            if (isColour(v) && !np.startsWith("favourite ") && !np.endsWith("colour")) {
                return new Fact(np, "colour", v);
            }
            int cut = np.lastIndexOf("'s ");
            return cut > 0 ? new Fact(np.substring(0, cut), np.substring(cut + 3), v) : new Fact(Fact.USER, np, v);
        });
    }

    /** The noun phrase in lower case with British spelling, or empty when it is no noun phrase. */
    private static Optional<String> subject(String np) {
        String s = np.toLowerCase(Locale.ROOT);
        for (String word : s.split(" ")) {
            if (SUBJECT_STOP.contains(word)) {
                return Optional.empty();
            }
        }
        return Optional.of(s.replaceAll("\\bfavorite\\b", "favourite").replaceAll("\\bcolor\\b", "colour"));
    }

    private static Optional<String> value(String raw) {
        String v = TRAILING_ADVERBS.matcher(QUOTES.matcher(raw.strip()).replaceAll("")).replaceFirst("");
        v = LEADING.matcher(v).replaceFirst("");
        String[] words = v.split(" ");
        if (v.isEmpty() || words.length > MAX_VALUE_WORDS || VALUE_STOP.contains(words[0].toLowerCase(Locale.ROOT))) {
            return Optional.empty();
        }
        for (String word : words) {
            if (!VALUE_WORD.matcher(word).matches()) {
                return Optional.empty();
            }
        }
        return Optional.of(v);
    }

    private static boolean isColour(String value) {
        boolean named = false;
        for (String word : value.toLowerCase(Locale.ROOT).split(" ")) {
            if (COLOURS.contains(word)) {
                named = true;
            } else if (!SHADES.contains(word)) {
                return false;
            }
        }
        return named;
    }

    private static String number(String n) {
        int word = NUMBER_WORDS.indexOf(n.toLowerCase(Locale.ROOT));
        return word >= 0 ? Integer.toString(word + 1) : n;
    }

    private static Pattern p(String regex) {
        return Pattern.compile(regex, Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
    }
}
