package io.agentcouncil;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentcouncil.confidence.ConfidenceEstimator;
import io.agentcouncil.confidence.TokenProbabilityEstimator;
import io.agentcouncil.council.Specialist;
import io.agentcouncil.engine.LanguageModel;
import io.agentcouncil.models.ModelRoster;
import io.agentcouncil.models.ModelSpec;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which estimator scores a council member's answers (pure logic; the roster is the real one). */
class MemberCalibrationTest {

    private static final ConfidenceEstimator DEFAULT = TokenProbabilityEstimator.defaults();

    @Test
    void aRosterMemberIsCalibratedAsTheRosterSays() {
        for (String name : List.of("qwen2.5-coder-0.5b-instruct", "qwen2.5-coder-1.5b-instruct")) {
            ModelSpec.Calibration c = ModelRoster.get().find(name).orElseThrow().confidenceCalibration();
            assertTrue(c != null, name + " has a fitted calibration in models.json");
            ConfidenceEstimator e = AgentCouncil.memberEstimator(new Specialist("m", "d", ModelSource.roster(name)), DEFAULT);
            assertEquals(TokenProbabilityEstimator.defaults().calibrated(c.a(), c.b()), e, name);
        }
    }

    @Test
    void withoutACalibrationTheCouncilsEstimatorScores() {
        ModelSource uncalibrated = threads -> {
            throw new AssertionError("never loaded");
        };
        assertSame(DEFAULT, AgentCouncil.memberEstimator(new Specialist("m", "d", uncalibrated), DEFAULT));
    }

    @Test
    void aCustomCouncilEstimatorOrTheMembersOwnIsNeverRecalibrated() {
        ModelSource calibrated = new ModelSource() {
            @Override
            public LanguageModel load(int threads) {
                throw new AssertionError("never loaded");
            }

            @Override
            public Optional<ModelSpec.Calibration> calibration() {
                return Optional.of(new ModelSpec.Calibration(2, -1));
            }
        };
        ConfidenceEstimator custom = TokenProbabilityEstimator.quantile(0.1);
        assertSame(custom, AgentCouncil.memberEstimator(new Specialist("m", "d", calibrated), custom));
        ConfidenceEstimator own = TokenProbabilityEstimator.quantile(0.25);
        assertSame(own, AgentCouncil.memberEstimator(new Specialist("m", "d", List.of(), calibrated, own), DEFAULT));
        assertEquals(TokenProbabilityEstimator.defaults().calibrated(2, -1),
                AgentCouncil.memberEstimator(new Specialist("m", "d", calibrated), DEFAULT));
    }
}
