package io.agentcouncil.benchmarks.eval;

import java.util.Map;

/**
 * One question's outcome: what the model said, whether it was right, and every estimator's raw
 * score of the whole answer and of its first K tokens.
 *
 * @param tokens generated tokens, the end-of-generation token included when generation ended on it
 * @param ms the whole generation (prefill included)
 * @param msAtK for each K of the evaluation, the time from the start of the call to the K-th
 *     token (the whole generation when the answer is shorter): what stopping there would cost
 * @param scores estimator name to raw score of the whole answer
 * @param prefixScores estimator name to raw score of the first K tokens, for each K (the whole
 *     answer when it is shorter)
 * @param logprobs the log-probability of each generated token, to try other estimators offline
 */
public record EvalRow(String id, String kind, String expected, String reply, boolean correct, String stopReason,
        int tokens, double ms, double[] msAtK, Map<String, Double> scores, Map<String, double[]> prefixScores,
        float[] logprobs) {
}
