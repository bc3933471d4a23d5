package io.agentcouncil.memory;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;

/**
 * Long conversations with facts planted in them, deterministic from a seed, for tests of memory
 * compression and for the recall benchmark: a fact is stated early ("My bike is turquoise."),
 * buried under unrelated chit-chat (cooking, weather, history, science, arithmetic, ...), and
 * asked about at the end ("What colour is my bike?", expected answer "turquoise").
 *
 * <p>Within one call to {@link #facts} every fact has its own (subject, attribute) and its own
 * answer, so no two facts conflict and no answer is right for two questions. The filler mentions
 * none of the catalogue's non-numeric answers and states no facts. The same seed gives the same
 * output on every JVM ({@link Random} is specified).
 */
public final class PlantedFacts {

    /**
     * A fact to plant and how to ask about it.
     *
     * @param statement the user's message stating it, e.g. "My bike is turquoise."
     * @param question the user's later question, e.g. "What colour is my bike?"
     * @param answer the word a correct reply contains, e.g. "turquoise"
     * @param fact what {@link FactExtractor} reads from the statement
     */
    public record PlantedFact(String statement, String question, String answer, Fact fact) {}

    /** One exchange: what the user said and a plausible assistant reply. */
    public record Turn(String user, String assistant) {}

    /** One kind of fact about one subject, with the values it may take. */
    private record Topic(List<String> values, Function<String, String> statement, String question,
            Function<String, Fact> fact) {

        PlantedFact plant(String value) {
            return new PlantedFact(statement.apply(value), question, value, fact.apply(value));
        }
    }

    private static final List<String> COLOURS = List.of("turquoise", "crimson", "mustard", "teal", "lavender", "ochre",
            "magenta", "olive", "maroon", "amber", "indigo", "coral", "beige", "scarlet", "emerald", "violet", "navy",
            "silver", "burgundy", "lilac", "charcoal", "mauve", "cyan", "khaki", "ivory", "bronze", "fuchsia", "orange",
            "yellow", "pink", "green", "purple", "red", "white", "black", "grey", "brown", "gold", "copper", "plum",
            "aqua", "taupe", "vermilion", "cerulean", "chartreuse", "periwinkle", "sepia");
    private static final List<String> PERSON_NAMES = List.of("Mia", "Tom", "Ada", "Priya", "Lars", "Ingrid", "Mateo",
            "Yuki", "Omar", "Freya", "Dmitri", "Leila", "Hugo", "Aiko", "Bruno", "Noor", "Sven", "Talia", "Emeka", "Rosa",
            "Kofi", "Elif", "Jonas", "Anouk");
    private static final List<String> PET_NAMES = List.of("Rex", "Biscuit", "Pepper", "Luna", "Ziggy", "Nimbus",
            "Pickles", "Waffles", "Juniper", "Otis", "Hazel", "Bramble", "Clementine", "Domino", "Figaro", "Gizmo",
            "Marble", "Noodle", "Pixel", "Quincy", "Rocket", "Sprout", "Tofu", "Whiskers", "Yoshi", "Mochi", "Pumpkin");
    private static final List<String> CITIES = List.of("Lisbon", "Oslo", "Tallinn", "Porto", "Krakow", "Ghent", "Lyon",
            "Seville", "Bergen", "Utrecht", "Graz", "Bologna", "Valencia", "Dublin", "Helsinki", "Riga", "Zagreb",
            "Ljubljana", "Geneva", "Edinburgh", "Nairobi", "Montreal", "Osaka", "Adelaide", "Cusco", "Hobart", "Tromso",
            "Reykjavik", "Marrakesh", "Quito");
    private static final List<String> JOBS = List.of("carpenter", "pilot", "architect", "nurse", "electrician", "baker",
            "librarian", "veterinarian", "astronomer", "plumber", "pharmacist", "translator", "geologist", "florist",
            "firefighter", "cartographer", "beekeeper", "glassblower", "locksmith", "optician");
    private static final List<String> WORKPLACES = List.of("museum", "hospital", "bakery", "observatory", "aquarium",
            "zoo", "brewery", "shipyard", "theatre", "planetarium", "vineyard", "lighthouse");

    private static final List<Topic> TOPICS = topics();

    private PlantedFacts() {}

    /** How many distinct facts one conversation can hold: the most {@link #facts} gives. */
    public static int topicCount() {
        return TOPICS.size();
    }

    /** {@code count} non-conflicting facts of varied kinds, in the order to plant them. */
    public static List<PlantedFact> facts(long seed, int count) {
        if (count < 0 || count > TOPICS.size()) {
            throw new IllegalArgumentException("count must be in [0, " + TOPICS.size() + "], got " + count);
        }
        Random random = new Random(seed);
        List<Topic> topics = new ArrayList<>(TOPICS);
        Collections.shuffle(topics, random);
        Set<String> answers = new HashSet<>();
        List<PlantedFact> out = new ArrayList<>();
        for (Topic topic : topics.subList(0, count)) {
            List<String> values = new ArrayList<>(topic.values());
            Collections.shuffle(values, random);
            // Each pool is larger than the topics drawing on it, so a fresh answer always exists.
            String value = values.stream().filter(v -> answers.add(v.toLowerCase(Locale.ROOT))).findFirst().orElseThrow();
            out.add(topic.plant(value));
        }
        return out;
    }

    /** {@code count} unrelated exchanges, varied from templates. */
    public static List<Turn> fillerTurns(long seed, int count) {
        return Filler.turns(new Random(seed), count);
    }

    /**
     * A conversation of {@code fillerTurns} filler exchanges with the facts' statements spread
     * evenly through it, the first at the start; each statement is a user turn, sometimes with a
     * lead-in ("By the way, my bike is turquoise."), answered by a short acknowledgement. The
     * questions are not in it: the caller asks them after it.
     */
    public static List<Turn> conversation(long seed, List<PlantedFact> facts, int fillerTurns) {
        Random random = new Random(~seed);
        List<Turn> filler = fillerTurns(seed, fillerTurns);
        List<Turn> out = new ArrayList<>();
        int next = 0;
        for (int i = 0; i <= filler.size(); i++) {
            while (next < facts.size() && (long) next * filler.size() <= (long) i * facts.size()) {
                out.add(stated(facts.get(next++).statement(), random));
            }
            if (i < filler.size()) {
                out.add(filler.get(i));
            }
        }
        return out;
    }

    private static Turn stated(String statement, Random random) {
        String[] leadIns = {"", "", "", "By the way, ", "Oh, and ", "Just so you know, ", "Also, "};
        String[] acks = {"Got it, thanks for telling me.", "Noted! I will keep that in mind.", "Thanks, good to know.",
            "Understood, I will remember that.", "Lovely, thanks for sharing that."};
        String leadIn = leadIns[random.nextInt(leadIns.length)];
        String said = leadIn.isEmpty() || statement.startsWith("I ") ? statement
                : Character.toLowerCase(statement.charAt(0)) + statement.substring(1);
        return new Turn(leadIn + said, acks[random.nextInt(acks.length)]);
    }

    private static List<Topic> topics() {
        List<Topic> t = new ArrayList<>();
        for (String thing : List.of("bike", "car", "umbrella", "backpack", "scarf", "front door", "kettle", "notebook",
                "mug", "jacket", "tent", "kayak", "guitar", "sofa", "phone case", "wallet", "suitcase", "helmet",
                "desk lamp", "raincoat", "skateboard", "toothbrush", "water bottle", "yoga mat", "hat", "bathrobe",
                "teapot", "canoe", "scooter", "lunchbox", "pencil case", "hammock", "doormat", "sweater")) {
            t.add(new Topic(COLOURS, v -> "My " + thing + " is " + v + ".", "What colour is my " + thing + "?",
                    v -> new Fact(thing, "colour", v)));
        }
        for (String pet : List.of("dog", "cat", "parrot", "hamster", "rabbit", "goldfish", "tortoise", "horse", "ferret",
                "gecko", "canary", "guinea pig")) {
            t.add(new Topic(PET_NAMES, v -> "My " + pet + " is called " + v + ".", "What is my " + pet + " called?",
                    v -> new Fact(pet, "name", v)));
        }
        for (String person : List.of("sister", "brother", "grandmother", "best friend", "neighbour", "boss",
                "flatmate", "godmother", "piano teacher")) {
            t.add(new Topic(PERSON_NAMES, v -> "My " + person + "'s name is " + v + ".",
                    "What is my " + person + "'s name?", v -> new Fact(person, "name", v)));
        }
        for (String person : List.of("aunt", "uncle", "grandfather", "pen pal", "godfather")) {
            t.add(new Topic(CITIES, v -> "My " + person + " lives in " + v + ".",
                    "In which city does my " + person + " live?", v -> new Fact(person, "home", v)));
        }
        for (String person : List.of("mother", "father", "partner", "stepsister", "oldest friend")) {
            t.add(new Topic(JOBS, v -> "My " + person + " works as " + article(v) + " " + v + ".",
                    "What does my " + person + " work as?", v -> new Fact(person, "job", v)));
        }
        for (String place : List.of("office", "studio", "summer house", "storage unit", "boat", "workshop")) {
            t.add(new Topic(CITIES, v -> "My " + place + " is in " + v + ".", "In which city is my " + place + "?",
                    v -> new Fact(place, "location", v)));
        }
        favourite(t, "colour", COLOURS);
        favourite(t, "fruit", List.of("mango", "papaya", "lychee", "apricot", "guava", "persimmon", "pomegranate"));
        favourite(t, "vegetable", List.of("artichoke", "fennel", "parsnip", "okra", "asparagus", "kohlrabi"));
        favourite(t, "dessert", List.of("tiramisu", "baklava", "pavlova", "cheesecake", "flan", "churros"));
        favourite(t, "flower", List.of("peony", "tulip", "orchid", "dahlia", "magnolia", "gardenia", "hyacinth"));
        favourite(t, "sport", List.of("badminton", "rugby", "fencing", "curling", "volleyball", "lacrosse"));
        favourite(t, "drink", List.of("kombucha", "lemonade", "espresso", "horchata", "kefir"));
        favourite(t, "bird", List.of("heron", "puffin", "kingfisher", "magpie", "toucan", "albatross"));
        favourite(t, "tree", List.of("birch", "cedar", "sequoia", "baobab", "willow", "larch"));
        favourite(t, "spice", List.of("cardamom", "sumac", "turmeric", "nutmeg", "paprika", "cinnamon"));
        favourite(t, "cheese", List.of("gouda", "brie", "halloumi", "manchego", "gruyere", "feta"));
        favourite(t, "instrument", List.of("cello", "oboe", "banjo", "harp", "ukulele", "accordion", "bassoon"));
        favourite(t, "board game", List.of("chess", "backgammon", "scrabble", "monopoly", "mahjong"));
        favourite(t, "planet", List.of("Jupiter", "Saturn", "Neptune", "Mars", "Venus", "Uranus", "Mercury"));
        favourite(t, "gemstone", List.of("opal", "garnet", "topaz", "amethyst", "tourmaline", "onyx"));
        favourite(t, "dance", List.of("tango", "salsa", "waltz", "flamenco", "foxtrot"));
        favourite(t, "pasta shape", List.of("farfalle", "orecchiette", "rigatoni", "fusilli", "penne"));
        favourite(t, "tea", List.of("oolong", "rooibos", "chamomile", "sencha", "darjeeling"));
        favourite(t, "painter", List.of("Vermeer", "Hokusai", "Monet", "Kahlo", "Klimt"));
        favourite(t, "composer", List.of("Bach", "Chopin", "Debussy", "Satie", "Vivaldi", "Mahler"));
        favourite(t, "animal", List.of("otter", "axolotl", "pangolin", "capybara", "lemur", "narwhal"));
        for (String things : List.of("houseplants", "cousins", "chickens", "tattoos", "nephews", "nieces", "aquariums",
                "beehives", "bookshelves", "grandchildren", "ducks", "sheep")) {
            t.add(new Topic(numbers(2, 24), v -> "I have " + v + " " + things + ".", "How many " + things + " do I have?",
                    v -> new Fact(Fact.USER, "number of " + things, v)));
        }
        t.add(new Topic(PERSON_NAMES, v -> "My name is " + v + ".", "What is my name?",
                v -> new Fact(Fact.USER, "name", v)));
        t.add(new Topic(numbers(19, 88), v -> "I am " + v + " years old.", "How old am I?",
                v -> new Fact(Fact.USER, "age", v)));
        t.add(new Topic(numbers(13, 99), v -> "My lucky number is " + v + ".", "What is my lucky number?",
                v -> new Fact(Fact.USER, "lucky number", v)));
        t.add(new Topic(CITIES, v -> "I live in " + v + ".", "Which city do I live in?",
                v -> new Fact(Fact.USER, "home", v)));
        t.add(new Topic(CITIES, v -> "I was born in " + v + ".", "In which city was I born?",
                v -> new Fact(Fact.USER, "birthplace", v)));
        t.add(new Topic(JOBS, v -> "I work as " + article(v) + " " + v + ".", "What is my job?",
                v -> new Fact(Fact.USER, "job", v)));
        t.add(new Topic(WORKPLACES, v -> "I work at the " + v + ".", "Where do I work?",
                v -> new Fact(Fact.USER, "employer", v)));
        return List.copyOf(t);
    }

    private static void favourite(List<Topic> t, String what, List<String> values) {
        t.add(new Topic(values, v -> "My favourite " + what + " is " + v + ".", "What is my favourite " + what + "?",
                v -> new Fact(Fact.USER, "favourite " + what, v)));
    }

    private static List<String> numbers(int from, int to) {
        List<String> out = new ArrayList<>();
        for (int n = from; n <= to; n++) {
            out.add(Integer.toString(n));
        }
        return out;
    }

    private static String article(String noun) {
        return "aeiou".indexOf(noun.charAt(0)) >= 0 ? "an" : "a";
    }

    /** The chit-chat: hand-written exchanges plus generated arithmetic, with varied openers and closers. */
    private static final class Filler {

        private static final String[][] EXCHANGES = {
            {"How long should I boil an egg if I want a soft yolk?",
                "About six minutes in gently boiling water, then straight into cold water for a minute. That sets the "
                    + "outside and keeps the yolk runny."},
            {"What is the secret to crispy roast potatoes?",
                "Parboil them for ten minutes, shake them in the pan to rough up the edges, then roast them in hot oil "
                    + "at a high temperature, turning them once halfway through."},
            {"Can I use baking soda instead of baking powder?",
                "Only with an acid in the recipe, such as yoghurt or buttermilk, and you need about a quarter of the "
                    + "amount. Otherwise the cake tastes soapy and rises poorly."},
            {"Why does homemade bread sometimes come out so dense?",
                "Usually the dough was under-proofed or the flour was too weak. Let it rise until it has roughly "
                    + "doubled, and knead it long enough to build the gluten."},
            {"How do I stop rice from getting sticky?",
                "Rinse it until the water runs clear, use the right ratio of water, and let it rest with the lid on for "
                    + "ten minutes after cooking before fluffing it with a fork."},
            {"What can I cook with leftover chicken and some rice?",
                "A quick fried rice works well: fry garlic and onion, add the rice and shredded chicken, then finish "
                    + "with soy sauce, a beaten egg and chopped spring onions."},
            {"Is it safe to refreeze meat that has thawed?",
                "If it thawed in the fridge and stayed cold, yes, though the texture may suffer. If it sat at room "
                    + "temperature for hours, cook it first or throw it away."},
            {"How do I make a simple tomato sauce?",
                "Soften some garlic in a little oil, add a tin of chopped tomatoes and a pinch of salt, and simmer it "
                    + "for about twenty minutes until it thickens."},
            {"Why is it usually colder on clear nights?",
                "Without clouds acting like a blanket, the ground radiates its heat straight out into space, so the air "
                    + "near the surface cools quickly after sunset."},
            {"What causes thunder?",
                "Lightning heats the air around it to tens of thousands of degrees in a fraction of a second. The air "
                    + "expands violently, and that shock wave is what we hear as thunder."},
            {"How do weather forecasters predict rain?",
                "They feed observations from satellites, radar and weather stations into numerical models of the "
                    + "atmosphere, then compare several runs to estimate how likely rain is."},
            {"Is it true that two snowflakes are never alike?",
                "Practically, yes. Each crystal takes its own path through changing temperature and humidity, so the "
                    + "odds of two identical complex snowflakes are vanishingly small."},
            {"What is the difference between weather and climate?",
                "Weather is what the atmosphere does on a given day; climate is the long-term pattern of that weather, "
                    + "usually averaged over thirty years or more."},
            {"Who invented the printing press?",
                "Johannes Gutenberg developed the movable-type printing press in Europe around 1440, although movable "
                    + "type had been used in East Asia centuries earlier."},
            {"Why did the Roman Empire fall?",
                "Historians point to many causes together: political instability, economic trouble, reliance on "
                    + "mercenaries, pressure from migrating peoples and the split into eastern and western halves."},
            {"How were the pyramids of Giza built?",
                "Workers quarried limestone blocks nearby, moved them on sledges over wetted sand and raised them with "
                    + "ramps. It took a large, organised and paid workforce."},
            {"When did people first land on the Moon?",
                "Apollo 11 landed on 20 July 1969. Neil Armstrong and Buzz Aldrin walked on the surface while Michael "
                    + "Collins orbited above in the command module."},
            {"What was the Silk Road?",
                "A network of trade routes linking China with the Mediterranean. Besides silk it carried ideas, "
                    + "religions, inventions and, unfortunately, diseases between cultures."},
            {"Why is the Magna Carta considered important?",
                "Sealed in 1215, it set down the principle that even the king was subject to the law, an idea that "
                    + "later shaped constitutions around the world."},
            {"Why do we have leap years?",
                "A year is about 365.25 days long, so adding a day every four years keeps the calendar in step with the "
                    + "seasons. Century years skip it unless they divide by 400."},
            {"How do vaccines work?",
                "They show the immune system a harmless piece or version of a germ so it learns to recognise it. If the "
                    + "real germ turns up later, the body responds much faster."},
            {"What is a neutron star?",
                "The collapsed core of a massive star, so dense that a teaspoon of it would weigh billions of tonnes. "
                    + "Many spin rapidly and sweep beams of radiation across space."},
            {"Why do onions make people cry?",
                "Cutting them releases enzymes that produce a volatile sulphur compound. When it reaches the eyes it "
                    + "forms a mild irritant, and the tear glands try to wash it away."},
            {"How does a fridge keep things cold?",
                "A refrigerant evaporates inside the fridge and absorbs heat, then a compressor squeezes it so that it "
                    + "releases the heat through the coils at the back."},
            {"Can you explain photosynthesis simply?",
                "Plants use sunlight to turn water and carbon dioxide into sugar, which feeds them, and they release "
                    + "oxygen as a by-product."},
            {"How many days a week should I exercise?",
                "Most guidelines suggest about 150 minutes of moderate activity a week, spread over several days, plus "
                    + "muscle strengthening on two of them."},
            {"Is stretching before running a good idea?",
                "A short dynamic warm-up such as leg swings and easy jogging works better than long static stretches, "
                    + "which are more useful after the run."},
            {"What is a good way to start running?",
                "Alternate one minute of jogging with two of walking for twenty minutes, three times a week, and "
                    + "gradually shift the balance towards running."},
            {"How much water should a person drink in a day?",
                "Needs vary with size, climate and activity, but drinking when thirsty is a good practical guide for "
                    + "most healthy adults."},
            {"Can you suggest a way to read more books?",
                "Carry one with you, read a few pages at fixed moments such as the commute or before bed, and give "
                    + "yourself permission to abandon books you do not enjoy."},
            {"How do I write a good opening line for a story?",
                "Start close to the action or with a voice that raises a question. A strong first line makes the reader "
                    + "curious about what happens next or who is speaking."},
            {"What is the difference between a novella and a novel?",
                "Mostly length: a novella usually runs from about 17,000 to 40,000 words, while a novel is longer and "
                    + "often has more characters and subplots."},
            {"What is the difference between a list and a set?",
                "A list keeps elements in order and allows duplicates; a set holds each element once and is optimised "
                    + "for checking whether an element is present."},
            {"Why is a program slow when it reads a big file one byte at a time?",
                "Each unbuffered read can become a system call. Wrap the stream in a buffered reader and process the "
                    + "data in chunks or lines instead."},
            {"What does recursion mean?",
                "A function is recursive when it calls itself on a smaller version of the problem, with a base case "
                    + "that stops the calls, like computing a factorial."},
            {"How should I name variables?",
                "Use names that say what the value means rather than its type, keep them short in small scopes and more "
                    + "descriptive in large ones."},
            {"What should I pack for a week of hiking?",
                "Layers rather than one heavy coat, a waterproof shell, broken-in boots, a first-aid kit, a headlamp, "
                    + "and more socks than you think you need."},
            {"How can I beat jet lag?",
                "Shift your sleep by an hour a day before leaving, get daylight in the morning at your destination, and "
                    + "avoid long naps on the first day."},
            {"Is it better to book flights early?",
                "For most routes prices are lowest one to three months ahead; last-minute deals exist but are rare in "
                    + "busy seasons."},
            {"When is the best time to water tomato plants?",
                "Early in the morning, at the base of the plant rather than over the leaves, and deeply a few times a "
                    + "week instead of a little every day."},
            {"How do I get rid of aphids without chemicals?",
                "Spray them off with water, wipe them with soapy water, or encourage ladybirds, which eat them in large "
                    + "numbers."},
        };
        private static final String[] OPENERS = {"", "", "", "", "Quick question: ", "Thanks! ", "Okay, next one. ",
            "Hmm, something else. ", "Another thing I was curious about. "};
        private static final String[] CLOSERS = {"", "", "", " Hope that helps!", " Let me know if you want more detail.",
            " Happy to go deeper if that is useful."};

        static List<Turn> turns(Random random, int count) {
            List<Turn> out = new ArrayList<>();
            int last = -1;
            for (int i = 0; i < count; i++) {
                int pick;
                do {
                    pick = random.nextInt(EXCHANGES.length + 4);
                } while (pick == last); // never the same exchange twice in a row
                last = pick;
                String[] qa = pick < EXCHANGES.length ? EXCHANGES[pick] : arithmetic(pick - EXCHANGES.length, random);
                out.add(new Turn(OPENERS[random.nextInt(OPENERS.length)] + qa[0],
                        qa[1] + CLOSERS[random.nextInt(CLOSERS.length)]));
            }
            return out;
        }

        private static String[] arithmetic(int kind, Random random) {
            switch (kind) {
                case 0: {
                    int a = 3 + random.nextInt(17);
                    int b = 12 + random.nextInt(88);
                    int tens = b / 10 * 10;
                    return new String[] {"What is " + a + " times " + b + "?",
                        a + " times " + b + " is " + a * b + ". You can check it by splitting " + b + " into " + tens
                            + " and " + (b - tens) + ": " + a * tens + " plus " + a * (b - tens) + " makes " + a * b + "."};
                }
                case 1: {
                    int p = 5 * (1 + random.nextInt(15));
                    int n = 20 * (1 + random.nextInt(40));
                    return new String[] {"What is " + p + " percent of " + n + "?",
                        p + " percent of " + n + " is " + n * p / 100 + ". Ten percent is " + n / 10
                            + ", and scaling that up or down gets you the rest."};
                }
                case 2: {
                    int n = 11 + random.nextInt(39);
                    return new String[] {"What is the square of " + n + "?",
                        n + " squared is " + n * n + ". A handy trick is (a + b) squared = a squared + 2ab + b squared, "
                            + "splitting the number into tens and units."};
                }
                default: {
                    int n = 2 + random.nextInt(60);
                    return new String[] {"How many centimetres are in " + n + " inches?",
                        n + " inches is about " + String.format(Locale.ROOT, "%.1f", n * 2.54)
                            + " centimetres, since one inch is exactly 2.54 centimetres."};
                }
            }
        }
    }
}
