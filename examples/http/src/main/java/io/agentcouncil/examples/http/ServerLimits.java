package io.agentcouncil.examples.http;

import java.time.Duration;
import java.util.Map;

/**
 * What the chat server accepts and how it guards itself.
 *
 * @param maxBodyBytes     largest request body (413 beyond)
 * @param maxPromptTokens  largest prompt in Agent-0's tokens (413 beyond)
 * @param maxConcurrent    chat requests in flight at once (429 with Retry-After beyond)
 * @param retryAfter       what a 429 tells the client to wait
 * @param bearerToken      the token every request but {@code /healthz} and the chat page must
 *                         carry as {@code Authorization: Bearer ...}; null for no authentication
 * @param gpuProfile       the deployment's GPU profile ({@code cpu}, {@code rtx_4070}, ...)
 * @param shutdownTimeout  how long a stop waits for requests in flight
 */
public record ServerLimits(int maxBodyBytes, int maxPromptTokens, int maxConcurrent, Duration retryAfter,
                           String bearerToken, String gpuProfile, Duration shutdownTimeout) {

    /** The environment variable of the optional bearer token. */
    public static final String TOKEN_ENV = "AGENTCOUNCIL_HTTP_TOKEN";
    /** The environment variable of the GPU profile, as the product checklist names it. */
    public static final String GPU_PROFILE_ENV = "SWARM_GPU_PROFILE";

    public ServerLimits {
        if (maxBodyBytes < 1 || maxPromptTokens < 1 || maxConcurrent < 1) {
            throw new IllegalArgumentException("limits must be >= 1: body " + maxBodyBytes + ", prompt tokens "
                    + maxPromptTokens + ", concurrent " + maxConcurrent);
        }
        bearerToken = bearerToken == null || bearerToken.isBlank() ? null : bearerToken.strip();
        gpuProfile = gpuProfile == null || gpuProfile.isBlank() ? "cpu" : gpuProfile.strip();
    }

    /** The defaults, with the token and the GPU profile read from {@code env}. */
    public static ServerLimits fromEnvironment(Map<String, String> env) {
        return new ServerLimits(AgentCouncilHttp.MAX_BODY_BYTES, 1024, 32, Duration.ofSeconds(1),
                env.get(TOKEN_ENV), env.get(GPU_PROFILE_ENV), Duration.ofSeconds(30));
    }

    public ServerLimits withBearerToken(String token) {
        return new ServerLimits(maxBodyBytes, maxPromptTokens, maxConcurrent, retryAfter, token, gpuProfile, shutdownTimeout);
    }

    public ServerLimits withMaxConcurrent(int n) {
        return new ServerLimits(maxBodyBytes, maxPromptTokens, n, retryAfter, bearerToken, gpuProfile, shutdownTimeout);
    }

    public ServerLimits withMaxPromptTokens(int n) {
        return new ServerLimits(maxBodyBytes, n, maxConcurrent, retryAfter, bearerToken, gpuProfile, shutdownTimeout);
    }
}
