package io.agentcouncil.council;

import io.agentcouncil.ModelSource;
import io.agentcouncil.confidence.ConfidenceEstimator;
import java.util.List;
import java.util.Objects;

/**
 * A council member: a name, what it is for (the router reads this), optional routing keywords,
 * where its model comes from (loaded on its first escalation), and its own confidence
 * estimator, or null for the council's.
 */
public record Specialist(String name, String description, List<String> keywords, ModelSource source,
        ConfidenceEstimator estimator) {

    public Specialist {
        Objects.requireNonNull(keywords, "keywords");
        keywords = List.copyOf(keywords);
    }

    public Specialist(String name, String description, ModelSource source) {
        this(name, description, List.of(), source, null);
    }

    public SpecialistInfo info() {
        return new SpecialistInfo(name, description, keywords);
    }
}
