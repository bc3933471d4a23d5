package io.agentcouncil.council;

import io.agentcouncil.template.ChatMessage;
import java.util.List;

/** Chooses the council's reply from its members' answers. Thread-safe. */
public interface CouncilPolicy {

    /** A short name reported in each reply, e.g. "highest-confidence". */
    String name();

    /**
     * The council's answer to the last message of {@code conversation}, from {@code answers}
     * (not empty, in consultation order). It may be one of them or a new one (a synthesis).
     */
    Answer choose(List<ChatMessage> conversation, List<Answer> answers);

    /** The default: the answer with the highest confidence; the first consulted on a tie. */
    static CouncilPolicy highestConfidence() {
        return new CouncilPolicy() {
            @Override
            public String name() {
                return "highest-confidence";
            }

            @Override
            public Answer choose(List<ChatMessage> conversation, List<Answer> answers) {
                Answer best = answers.get(0);
                for (Answer a : answers) {
                    if (a.confidence() > best.confidence()) {
                        best = a;
                    }
                }
                return best;
            }
        };
    }
}
