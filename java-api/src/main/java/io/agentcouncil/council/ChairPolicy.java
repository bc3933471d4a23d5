package io.agentcouncil.council;

import io.agentcouncil.confidence.ConfidenceEstimator;
import io.agentcouncil.engine.LanguageModel;
import io.agentcouncil.generation.GenerationConfig;
import io.agentcouncil.generation.GenerationResult;
import io.agentcouncil.generation.Generator;
import io.agentcouncil.template.ChatMessage;
import java.util.List;
import java.util.Objects;

/**
 * A chair model reads the question and every member's answer and writes the council's reply,
 * as in LLM-council designs. With one answer there is nothing to weigh, so it is returned as it
 * is. The chair's confidence is its own estimator's score of its synthesis. The model is the
 * caller's: this policy never closes it.
 */
public final class ChairPolicy implements CouncilPolicy {

    private static final String SYSTEM = "You are given a question and candidate answers to it. Write the single best "
            + "answer to the question: correct, complete and short. Reply with that answer only.";

    private final LanguageModel chair;
    private final ConfidenceEstimator estimator;
    private final GenerationConfig config;

    public ChairPolicy(LanguageModel chair, ConfidenceEstimator estimator, int maxNewTokens) {
        this.chair = Objects.requireNonNull(chair, "chair");
        this.estimator = Objects.requireNonNull(estimator, "estimator");
        this.config = GenerationConfig.builder().greedy().maxNewTokens(maxNewTokens).topLogprobs(0).build();
    }

    @Override
    public String name() {
        return "chair:" + chair.name();
    }

    @Override
    public Answer choose(List<ChatMessage> conversation, List<Answer> answers) {
        if (answers.size() == 1) {
            return answers.get(0);
        }
        StringBuilder brief = new StringBuilder("Question: ").append(conversation.get(conversation.size() - 1).content());
        for (int i = 0; i < answers.size(); i++) {
            brief.append("\n\nCandidate answer ").append(i + 1).append(":\n").append(answers.get(i).text());
        }
        List<ChatMessage> prompt = List.of(ChatMessage.system(SYSTEM), ChatMessage.user(brief.toString()));
        try (Generator g = Generator.open(chair, Math.min(chair.trainedContextLength(), 4096))) {
            GenerationResult r = g.chat(prompt, config);
            return new Answer("chair", chair.name(), r.text().strip(), estimator.estimate(r.tokens()),
                    r.timings().prefillTokens(), r.tokens().size());
        }
    }
}
