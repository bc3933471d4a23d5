package io.agentcouncil.template;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One template shared by many threads, as a loaded model is, renders each conversation exactly
 * as it does alone. Qwen3's template is the stress case: it keeps state in a namespace and in
 * variables it sets while rendering.
 */
class ChatTemplateConcurrencyTest {
    private static final int THREADS = 8;
    private static final int RENDERS_PER_THREAD = 300;

    @Test
    void concurrentRendersEqualSingleThreadedOnes() throws Exception {
        ChatTemplate template = ChatTemplate.of(ChatTemplateTest.QWEN3, "<|endoftext|>", "<|im_end|>");
        List<List<ChatMessage>> conversations = new ArrayList<>();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 48; i++) {
            List<ChatMessage> conversation = conversation(i);
            conversations.add(conversation);
            expected.add(template.render(conversation, i % 2 == 0));
        }

        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Callable<Integer>> workers = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int offset = t * 7;
                workers.add(() -> {
                    for (int n = 0; n < RENDERS_PER_THREAD; n++) {
                        int i = (offset + n) % conversations.size();
                        assertEquals(expected.get(i), template.render(conversations.get(i), i % 2 == 0),
                                "conversation " + i);
                    }
                    return RENDERS_PER_THREAD;
                });
            }
            int total = 0;
            for (Future<Integer> done : pool.invokeAll(workers)) {
                total += done.get();
            }
            assertEquals(THREADS * RENDERS_PER_THREAD, total);
        } finally {
            pool.shutdown();
            assertTrue(pool.awaitTermination(1, TimeUnit.MINUTES));
        }
    }

    /** Conversations of different lengths and texts, with and without reasoning to strip. */
    private static List<ChatMessage> conversation(int i) {
        List<ChatMessage> messages = new ArrayList<>();
        if (i % 3 == 0) {
            messages.add(ChatMessage.system("System prompt " + i));
        }
        for (int turn = 0; turn <= i % 4; turn++) {
            messages.add(ChatMessage.user("Question " + i + "." + turn));
            messages.add(ChatMessage.assistant("<think>\nthinking " + i + "\n</think>\n\nAnswer " + i + "." + turn));
        }
        messages.add(ChatMessage.user(i % 5 == 0 ? "<tool_response>" + i + "</tool_response>" : "Last " + i));
        return messages;
    }
}
