package io.agentcouncil.models;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/** One roster entry of {@code models.json}: what the file is and how to check it. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ModelSpec(
        String name,
        String file,
        long size,
        String sha256,
        String licence,
        String architecture,
        @JsonProperty("general_name") String generalName,
        String quantization,
        String role,
        String specialty,
        @JsonProperty("default") boolean fetchedByDefault,
        String description,
        @JsonProperty("confidence_calibration") Calibration confidenceCalibration) {

    /**
     * Platt parameters for this model's answers under the default confidence estimator (the
     * minimum token probability): {@code sigmoid(a * logit(raw) + b)}, fitted by the benchmarks'
     * {@code ConfidenceEval} on labelled questions. Null in the roster where never fitted.
     */
    public record Calibration(double a, double b) {}
}
