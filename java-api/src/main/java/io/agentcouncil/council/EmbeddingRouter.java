package io.agentcouncil.council;

import io.agentcouncil.embedding.Embedder;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Routes by intent: the message's sentence embedding against each specialist's description
 * (its keywords appended), by cosine similarity; the {@code members} most similar specialists
 * sit, best first. Descriptions are embedded once, on first use. Thread-safe.
 */
public final class EmbeddingRouter implements Router {

    private final Embedder embedder;
    private final int members;
    private final Map<SpecialistInfo, float[]> descriptions = new ConcurrentHashMap<>();

    private EmbeddingRouter(Embedder embedder, int members) {
        this.embedder = Objects.requireNonNull(embedder, "embedder");
        if (members < 1) {
            throw new IllegalArgumentException("members must be >= 1, got " + members);
        }
        this.members = members;
    }

    /** The one specialist closest to the message. */
    public static EmbeddingRouter single(Embedder embedder) {
        return new EmbeddingRouter(embedder, 1);
    }

    /** The {@code members} specialists closest to the message. */
    public static EmbeddingRouter upTo(Embedder embedder, int members) {
        return new EmbeddingRouter(embedder, members);
    }

    @Override
    public List<String> route(String message, List<SpecialistInfo> specialists) {
        if (specialists.isEmpty()) {
            return List.of();
        }
        float[] q = embedder.embed(message);
        record Scored(String name, float score) {}
        List<Scored> scored = new ArrayList<>(specialists.size());
        for (SpecialistInfo s : specialists) {
            float[] d = descriptions.computeIfAbsent(s, info -> embedder.embed(text(info)));
            scored.add(new Scored(s.name(), dot(q, d)));
        }
        // Stable sort: on equal scores the specialist declared first wins.
        scored.sort(Comparator.comparingDouble((Scored s) -> s.score).reversed());
        return scored.subList(0, Math.min(members, scored.size())).stream().map(Scored::name).toList();
    }

    private static String text(SpecialistInfo info) {
        return info.keywords().isEmpty() ? info.description() : info.description() + " " + String.join(" ", info.keywords());
    }

    private static float dot(float[] a, float[] b) {
        float s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
