package io.agentcouncil;

import io.agentcouncil.models.ModelRoster;
import io.agentcouncil.models.ModelSpec;
import org.junit.jupiter.api.Assumptions;

import java.nio.file.Path;

/**
 * Roster models for tests. A missing model fails the test with the command that fetches it; only
 * a developer who says so ({@code AGENTCOUNCIL_ALLOW_MISSING_MODELS=1}) gets a skip, with the reason.
 */
public final class TestModels {
    public static final String SMOLLM2 = "smollm2-135m-instruct";
    public static final String QWEN_CODER_05B = "qwen2.5-coder-0.5b-instruct";
    public static final String QWEN_CODER_15B = "qwen2.5-coder-1.5b-instruct";
    public static final String GEMMA3_270M = "gemma-3-270m";

    private TestModels() {}

    public static Path require(String name) {
        ModelRoster roster = ModelRoster.get();
        ModelSpec spec = roster.find(name).orElseThrow(() -> new AssertionError("no roster model " + name));
        if (!roster.isFetched(spec)) {
            String why = "model " + name + " is not in " + roster.cacheDir() + ": run scripts/fetch-models " + name;
            if ("1".equals(System.getenv("AGENTCOUNCIL_ALLOW_MISSING_MODELS"))) {
                System.err.println("SKIP: " + why);
                Assumptions.abort(why);
            }
            throw new AssertionError(why);
        }
        return roster.pathOf(spec);
    }
}
