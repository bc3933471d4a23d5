package io.agentcouncil.memory;

import java.util.List;

/**
 * What a session's older turns (those before the verbatim window) compress to: the facts the user
 * stated and a short extractive summary of the rest. Immutable; made and extended by
 * {@link ContextCompressor}.
 *
 * @param facts the latest value of each (subject, attribute), in the order first mentioned
 * @param summary extracted user sentences, oldest first, within the compressor's budget
 * @param throughSeq the {@code seq} of the last entry folded in, 0 when none; entries up to it are
 *     skipped when added again
 */
public record CompressedHistory(List<Fact> facts, List<String> summary, long throughSeq) {

    /** Nothing folded in yet. */
    public static final CompressedHistory EMPTY = new CompressedHistory(List.of(), List.of(), 0);

    public CompressedHistory {
        facts = List.copyOf(facts);
        summary = List.copyOf(summary);
        if (throughSeq < 0) {
            throw new IllegalArgumentException("throughSeq must be >= 0, got " + throughSeq);
        }
    }

    public boolean isEmpty() {
        return facts.isEmpty() && summary.isEmpty();
    }

    /**
     * The block the council puts into the system prompt, or the empty string when there is
     * nothing to say; lines are separated by {@code \n}, with no trailing newline:
     * <pre>
     * Facts the user told you:
     * - bike's colour: turquoise
     * - name: Ada
     * Earlier in this conversation, the user said:
     * - How do I make risotto?
     * </pre>
     * Either section is left out when empty.
     */
    public String render() {
        StringBuilder b = new StringBuilder();
        if (!facts.isEmpty()) {
            b.append("Facts the user told you:");
            for (Fact f : facts) {
                b.append("\n- ").append(f.label()).append(": ").append(f.value());
            }
        }
        if (!summary.isEmpty()) {
            if (b.length() > 0) {
                b.append('\n');
            }
            b.append("Earlier in this conversation, the user said:");
            for (String line : summary) {
                b.append("\n- ").append(line);
            }
        }
        return b.toString();
    }
}
