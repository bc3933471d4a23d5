package io.agentcouncil.memory;

import java.util.Objects;

/**
 * One thing the user told the council about themselves or about something of theirs, as
 * {@link FactExtractor} reads it from a message: "My bike is turquoise." is
 * {@code ("bike", "colour", "turquoise")}, "My name is Ada." is {@code ("user", "name", "Ada")}.
 * The user is always the implicit owner: subject "bike" means "the user's bike".
 *
 * <p>{@code (subject, attribute)} is the fact's key: a later fact with the same key replaces an
 * earlier one (the user repainted the bike).
 *
 * @param subject who or what the fact is about, in lower case: {@link #USER} for the user, else
 *     the noun the user put after "my" ("bike", "sister", "guinea pig")
 * @param attribute what about it, in lower case ("colour", "name", "favourite food",
 *     "number of cats")
 * @param value the value as the user wrote it, without a leading article ("turquoise", "Ada", "2")
 */
public record Fact(String subject, String attribute, String value) {

    /** The subject of facts about the user themselves. */
    public static final String USER = "user";

    public Fact {
        requireText(subject, "subject");
        requireText(attribute, "attribute");
        requireText(value, "value");
    }

    /**
     * How the fact is named in a prompt: the attribute alone for the user's own facts ("name",
     * "favourite food"), else the possessive "bike's colour", "sister's name".
     */
    public String label() {
        return USER.equals(subject) ? attribute : subject + "'s " + attribute;
    }

    private static void requireText(String s, String what) {
        Objects.requireNonNull(s, what);
        if (s.isBlank()) {
            throw new IllegalArgumentException(what + " must not be blank");
        }
    }
}
