package io.agentcouncil.examples.http;

import io.agentcouncil.models.ModelRoster;
import io.agentcouncil.models.ModelSpec;
import org.junit.jupiter.api.Assumptions;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Roster models for tests. A missing model fails the test with the command that fetches it; only
 * AGENTCOUNCIL_ALLOW_MISSING_MODELS=1 turns that into a skip, for machines without the cache.
 */
final class RosterModels {
    static final String SMOLLM2 = "smollm2-135m-instruct";

    private RosterModels() {}

    static ModelSpec require(String name) {
        ModelRoster roster = ModelRoster.get();
        ModelSpec spec = roster.find(name).orElseThrow(() -> new AssertionError("no roster model " + name));
        if (!roster.isFetched(spec)) {
            String why = name + " is not in " + roster.cacheDir() + ": run scripts/fetch-models " + name;
            if ("1".equals(System.getenv("AGENTCOUNCIL_ALLOW_MISSING_MODELS"))) {
                System.out.println("skipped: " + why);
                Assumptions.abort(why);
            }
            fail(why);
        }
        return spec;
    }
}
