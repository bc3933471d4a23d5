package io.agentcouncil.template;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agentcouncil.TestModels;
import io.agentcouncil.gguf.GgufFile;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Every roster template renders every reference conversation exactly as Hugging Face
 * transformers' jinja2 does (reference/chat-*.json, made by scripts/reference/make-chat-reference),
 * and the reference templates are the ones in the real GGUF files, so the two cannot drift apart.
 */
class ChatTemplateReferenceTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode resource(String name) throws IOException {
        try (InputStream in = ChatTemplateReferenceTest.class.getResourceAsStream("/reference/" + name)) {
            assertNotNull(in, "reference/" + name + " is missing: run scripts/reference/make-chat-reference");
            return JSON.readTree(in);
        }
    }

    private static List<ChatMessage> conversation(JsonNode conversation) {
        List<ChatMessage> messages = new ArrayList<>();
        for (JsonNode m : conversation.get("messages")) {
            messages.add(new ChatMessage(m.get("role").asText(), m.get("content").asText()));
        }
        return messages;
    }

    @ParameterizedTest
    @ValueSource(strings = {"smollm2-135m-instruct", "qwen2.5-coder-1.5b-instruct", "qwen2.5-coder-0.5b-instruct"})
    void rendersLikeTransformers(String rosterName) throws IOException {
        JsonNode conversations = resource("chat-conversations.json").get("conversations");
        JsonNode reference = resource("chat-" + rosterName + ".json");
        ChatTemplate template = ChatTemplate.of(reference.get("template").asText(),
                reference.get("bos_token").asText(), reference.get("eos_token").asText());

        List<String> failures = new ArrayList<>();
        JsonNode cases = reference.get("cases");
        for (JsonNode c : cases) {
            JsonNode conversation = conversations.get(c.get("conversation").asInt());
            boolean prompt = c.get("add_generation_prompt").asBoolean();
            String label = conversation.get("name").asText() + " (add_generation_prompt=" + prompt + ")";
            try {
                String rendered = template.render(conversation(conversation), prompt);
                if (c.has("error")) {
                    failures.add(label + ": jinja2 failed with '" + c.get("error").asText() + "', we rendered "
                            + JSON.writeValueAsString(rendered));
                } else if (!rendered.equals(c.get("rendered").asText())) {
                    failures.add(label + ":\n  expected " + JSON.writeValueAsString(c.get("rendered").asText())
                            + "\n  rendered " + JSON.writeValueAsString(rendered));
                }
            } catch (ChatTemplateException e) {
                if (!c.has("error")) {
                    failures.add(label + ": " + e.getMessage());
                }
            }
        }
        assertTrue(cases.size() >= 2 * 10, "only " + cases.size() + " reference cases");
        if (!failures.isEmpty()) {
            fail(failures.size() + " of " + cases.size() + " cases differ from jinja2:\n" + String.join("\n", failures));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"smollm2-135m-instruct", "qwen2.5-coder-1.5b-instruct", "qwen2.5-coder-0.5b-instruct",
            "gemma-3-270m"})
    void referenceTemplateIsTheOneInTheGgufFile(String rosterName) throws IOException {
        JsonNode reference = resource("chat-" + rosterName + ".json");
        try (GgufFile file = GgufFile.open(TestModels.require(rosterName))) {
            if (reference.get("template").isNull()) {
                ChatTemplateException e = assertThrows(ChatTemplateException.class,
                        () -> ChatTemplate.fromGguf(file.metadata()));
                assertTrue(e.getMessage().contains("tokenizer.chat_template"), e.getMessage());
                return;
            }
            ChatTemplate template = ChatTemplate.fromGguf(file.metadata());
            assertEquals(reference.get("template").asText(), template.source());
            assertEquals(reference.get("bos_token").asText(), template.bosToken());
            assertEquals(reference.get("eos_token").asText(), template.eosToken());
        }
    }
}
