package io.agentcouncil.council;

import java.util.List;
import java.util.Objects;

/**
 * What a router knows of a specialist: its name, what it is for, and optional keywords that
 * mark messages for it.
 */
public record SpecialistInfo(String name, String description, List<String> keywords) {

    public SpecialistInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(description, "description");
        keywords = List.copyOf(keywords);
    }
}
