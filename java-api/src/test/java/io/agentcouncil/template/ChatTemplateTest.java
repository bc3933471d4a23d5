package io.agentcouncil.template;

import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;

import static io.agentcouncil.template.ChatMessage.assistant;
import static io.agentcouncil.template.ChatMessage.system;
import static io.agentcouncil.template.ChatMessage.user;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Templates of the kinds found in the field, each rendered and compared with the output of the
 * reference implementation. Every expected string below was computed once with Python jinja2
 * 3.1.6 the way Hugging Face transformers renders chat templates: an
 * {@code ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True)} with transformers'
 * {@code tojson} filter and {@code raise_exception}/{@code strftime_now} globals, called as
 * {@code template.render(messages=[{"role": ..., "content": ...}, ...], add_generation_prompt=...,
 * bos_token=..., eos_token=...)}, and pasted here.
 */
class ChatTemplateTest {

    /**
     * Qwen3's template as published, tool branch included: namespace(), messages[::-1],
     * startswith/endswith/split/strip, variables set inside loops.
     */
    static final String QWEN3 = """
            {%- if tools %}
                {{- '<|im_start|>system\\n' }}
                {%- if messages[0].role == 'system' %}
                    {{- messages[0].content + '\\n\\n' }}
                {%- endif %}
                {{- "# Tools\\n\\nYou may call one or more functions to assist with the user query.\\n\\nYou are provided with function signatures within <tools></tools> XML tags:\\n<tools>" }}
                {%- for tool in tools %}
                    {{- "\\n" }}
                    {{- tool | tojson }}
                {%- endfor %}
                {{- "\\n</tools>\\n\\nFor each function call, return a json object with function name and arguments within <tool_call></tool_call> XML tags:\\n<tool_call>\\n{\\"name\\": <function-name>, \\"arguments\\": <args-json-object>}\\n</tool_call><|im_end|>\\n" }}
            {%- else %}
                {%- if messages[0].role == 'system' %}
                    {{- '<|im_start|>system\\n' + messages[0].content + '<|im_end|>\\n' }}
                {%- endif %}
            {%- endif %}
            {%- set ns = namespace(multi_step_tool=true, last_query_index=messages|length - 1) %}
            {%- for message in messages[::-1] %}
                {%- set index = (messages|length - 1) - loop.index0 %}
                {%- if ns.multi_step_tool and message.role == "user" and message.content is string and not(message.content.startswith('<tool_response>') and message.content.endswith('</tool_response>')) %}
                    {%- set ns.multi_step_tool = false %}
                    {%- set ns.last_query_index = index %}
                {%- endif %}
            {%- endfor %}
            {%- for message in messages %}
                {%- if message.content is string %}
                    {%- set content = message.content %}
                {%- else %}
                    {%- set content = '' %}
                {%- endif %}
                {%- if (message.role == "user") or (message.role == "system" and not loop.first) %}
                    {{- '<|im_start|>' + message.role + '\\n' + content + '<|im_end|>' + '\\n' }}
                {%- elif message.role == "assistant" %}
                    {%- set reasoning_content = '' %}
                    {%- if message.reasoning_content is string %}
                        {%- set reasoning_content = message.reasoning_content %}
                    {%- else %}
                        {%- if '</think>' in content %}
                            {%- set reasoning_content = content.split('</think>')[0].rstrip('\\n').split('<think>')[-1].lstrip('\\n') %}
                            {%- set content = content.split('</think>')[-1].lstrip('\\n') %}
                        {%- endif %}
                    {%- endif %}
                    {%- if loop.index0 > ns.last_query_index %}
                        {%- if loop.last or (not loop.last and reasoning_content) %}
                            {{- '<|im_start|>' + message.role + '\\n<think>\\n' + reasoning_content.strip('\\n') + '\\n</think>\\n\\n' + content.lstrip('\\n') }}
                        {%- else %}
                            {{- '<|im_start|>' + message.role + '\\n' + content }}
                        {%- endif %}
                    {%- else %}
                        {{- '<|im_start|>' + message.role + '\\n' + content }}
                    {%- endif %}
                    {%- if message.tool_calls %}
                        {%- for tool_call in message.tool_calls %}
                            {%- if (loop.first and content) or (not loop.first) %}
                                {{- '\\n' }}
                            {%- endif %}
                            {%- if tool_call.function %}
                                {%- set tool_call = tool_call.function %}
                            {%- endif %}
                            {{- '<tool_call>\\n{"name": "' }}
                            {{- tool_call.name }}
                            {{- '", "arguments": ' }}
                            {%- if tool_call.arguments is string %}
                                {{- tool_call.arguments }}
                            {%- else %}
                                {{- tool_call.arguments | tojson }}
                            {%- endif %}
                            {{- '}\\n</tool_call>' }}
                        {%- endfor %}
                    {%- endif %}
                    {{- '<|im_end|>\\n' }}
                {%- elif message.role == "tool" %}
                    {%- if loop.first or (messages[loop.index0 - 1].role != "tool") %}
                        {{- '<|im_start|>user' }}
                    {%- endif %}
                    {{- '\\n<tool_response>\\n' }}
                    {{- content }}
                    {{- '\\n</tool_response>' }}
                    {%- if loop.last or (messages[loop.index0 + 1].role != "tool") %}
                        {{- '<|im_end|>\\n' }}
                    {%- endif %}
                {%- endif %}
            {%- endfor %}
            {%- if add_generation_prompt %}
                {{- '<|im_start|>assistant\\n' }}
                {%- if enable_thinking is defined and enable_thinking is false %}
                    {{- '<think>\\n\\n</think>\\n\\n' }}
                {%- endif %}
            {%- endif %}
            """;

    /** Llama 3 Instruct's template: bos_token before the first turn, every message trimmed. */
    private static final String LLAMA3 = "{% set loop_messages = messages %}{% for message in loop_messages %}"
            + "{% set content = '<|start_header_id|>' + message['role'] + '<|end_header_id|>\\n\\n'"
            + "+ message['content'] | trim + '<|eot_id|>' %}{% if loop.index0 == 0 %}"
            + "{% set content = bos_token + content %}{% endif %}{{ content }}{% endfor %}"
            + "{% if add_generation_prompt %}{{ '<|start_header_id|>assistant<|end_header_id|>\\n\\n' }}{% endif %}";

    /** Gemma 3's template: system folded into the first user turn, roles must alternate. */
    private static final String GEMMA3 = """
            {{ bos_token }}
            {%- if messages[0]['role'] == 'system' -%}
                {%- if messages[0]['content'] is string -%}
                    {%- set first_user_prefix = messages[0]['content'] + '\\n\\n' -%}
                {%- else -%}
                    {%- set first_user_prefix = messages[0]['content'][0]['text'] + '\\n\\n' -%}
                {%- endif -%}
                {%- set loop_messages = messages[1:] -%}
            {%- else -%}
                {%- set first_user_prefix = "" -%}
                {%- set loop_messages = messages -%}
            {%- endif -%}
            {%- for message in loop_messages -%}
                {%- if (message['role'] == 'user') != (loop.index0 % 2 == 0) -%}
                    {{ raise_exception("Conversation roles must alternate user/assistant/user/assistant/...") }}
                {%- endif -%}
                {%- if (message['role'] == 'assistant') -%}
                    {%- set role = "model" -%}
                {%- else -%}
                    {%- set role = message['role'] -%}
                {%- endif -%}
                {{ '<start_of_turn>' + role + '\\n' + (first_user_prefix if loop.first else "") }}
                {%- if message['content'] is string -%}
                    {{ message['content'] | trim }}
                {%- endif -%}
                {{ '<end_of_turn>\\n' }}
            {%- endfor -%}
            {%- if add_generation_prompt -%}
                {{'<start_of_turn>model\\n'}}
            {%- endif -%}
            """;

    @Test
    void qwen3TemplateKeepsReasoningOnlyAfterTheLastUserQuery() {
        ChatTemplate template = ChatTemplate.of(QWEN3, "<|endoftext|>", "<|im_end|>");
        List<ChatMessage> conversation = List.of(
                system("You are terse."),
                user("What is 2+2?"),
                assistant("<think>\nadd\n</think>\n\n4"),
                user("And 3+3?"),
                assistant("<think>\nadd again\n</think>\n6"),
                user("<tool_response>ok</tool_response>"));
        assertEquals("<|im_start|>system\n"
                + "You are terse.<|im_end|>\n"
                + "<|im_start|>user\n"
                + "What is 2+2?<|im_end|>\n"
                + "<|im_start|>assistant\n"
                + "4<|im_end|>\n"
                + "<|im_start|>user\n"
                + "And 3+3?<|im_end|>\n"
                + "<|im_start|>assistant\n"
                + "<think>\n"
                + "add again\n"
                + "</think>\n"
                + "\n"
                + "6<|im_end|>\n"
                + "<|im_start|>user\n"
                + "<tool_response>ok</tool_response><|im_end|>\n"
                + "<|im_start|>assistant\n",
                template.render(conversation, true));
    }

    @Test
    void llama3TemplateStartsWithBosAndTrimsLikePython() {
        ChatTemplate template = ChatTemplate.of(LLAMA3, "<|begin_of_text|>", "<|eot_id|>");
        // U+00A0 is whitespace to Python's strip, not to Java's trim.
        List<ChatMessage> conversation = List.of(
                system("  Be brief.\n"), user("\u00a0Hi!\t"), assistant("Hello."), user("Bye"));
        assertEquals("<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n"
                + "\n"
                + "Be brief.<|eot_id|><|start_header_id|>user<|end_header_id|>\n"
                + "\n"
                + "Hi!<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n"
                + "\n"
                + "Hello.<|eot_id|><|start_header_id|>user<|end_header_id|>\n"
                + "\n"
                + "Bye<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n"
                + "\n",
                template.render(conversation, true));
    }

    @Test
    void gemma3TemplateFoldsTheSystemPromptIntoTheFirstTurn() {
        ChatTemplate template = ChatTemplate.of(GEMMA3, "<bos>", "<eos>");
        List<ChatMessage> conversation = List.of(
                system("Answer in French."), user("  Hello  "), assistant("Bonjour"), user("Thanks"));
        assertEquals("<bos><start_of_turn>user\n"
                + "Answer in French.\n"
                + "\n"
                + "Hello<end_of_turn>\n"
                + "<start_of_turn>model\n"
                + "Bonjour<end_of_turn>\n"
                + "<start_of_turn>user\n"
                + "Thanks<end_of_turn>\n"
                + "<start_of_turn>model\n",
                template.render(conversation, true));
    }

    @Test
    void raiseExceptionFailsTheRenderWithTheTemplatesMessage() {
        ChatTemplate template = ChatTemplate.of(GEMMA3, "<bos>", "<eos>");
        ChatTemplateException e = assertThrows(ChatTemplateException.class,
                () -> template.render(List.of(user("a"), user("b")), true));
        assertTrue(e.getMessage().contains("Conversation roles must alternate user/assistant/user/assistant/..."),
                e.getMessage());
    }

    @Test
    void brokenTemplateFailsWhenLoadedNamingTheProblemAndLine() {
        ChatTemplateException unclosed = assertThrows(ChatTemplateException.class,
                () -> ChatTemplate.of("{% for message in messages %}\n{{ message.content }}\n", "", ""));
        assertTrue(unclosed.getMessage().contains("line 1") && unclosed.getMessage().contains("endfor"),
                unclosed.getMessage());

        // Only a conversation with an assistant turn would reach line 3: the check does not wait for one.
        ChatTemplateException expression = assertThrows(ChatTemplateException.class, () -> ChatTemplate.of(
                "{% for m in messages %}\n{% if m.role == 'assistant' %}\n{{ m['content' }}\n{% endif %}{% endfor %}",
                "", ""));
        assertTrue(expression.getMessage().contains("line 3") && expression.getMessage().contains("expected ']'"),
                expression.getMessage());

        ChatTemplateException filter = assertThrows(ChatTemplateException.class,
                () -> ChatTemplate.of("{{ messages | shuffle_all }}", "", ""));
        assertTrue(filter.getMessage().contains("no filter named 'shuffle_all'"), filter.getMessage());
    }

    @Test
    void jinjaThatJinjavaWouldRenderDifferentlyIsRefusedWhenLoaded() {
        // jinja2 renders both; Jinjava would treat the loop filter as a conditional expression
        // and render the else branch after every loop.
        ChatTemplateException filter = assertThrows(ChatTemplateException.class, () -> ChatTemplate.of(
                "{% for m in messages if m.role != 'system' %}{{ m.content }}{% endfor %}", "", ""));
        assertTrue(filter.getMessage().contains("loop filters"), filter.getMessage());
        ChatTemplateException forElse = assertThrows(ChatTemplateException.class, () -> ChatTemplate.of(
                "{% for m in messages %}{{ m.content }}\n{% else %}empty{% endfor %}", "", ""));
        assertTrue(forElse.getMessage().contains("line 2") && forElse.getMessage().contains("for ... else"),
                forElse.getMessage());
    }

    @Test
    void whitespaceFollowsTrimBlocksAndLstripBlocks() {
        String template = "<s>\n"
                + "{%- for m in messages %}\n"
                + "  {% if m.role == 'user' %}\n"
                + "    U: {{ m.content }} {# inline comment #} !\n"
                + "  {%- else %}\n"
                + "    A: {{ m.content }}\n"
                + "  {% endif %}\n"
                + "  {#- strip before #}   x {% if true %}y{% endif %} z\n"
                + "{%+ if true %}kept indent{% endif +%}\n"
                + "{% endfor %}\n"
                + "</s>\n";
        assertEquals("<s>    U: hi  !   x y z\n"
                + "kept indent\n"
                + "    A: yo\n"
                + "   x y z\n"
                + "kept indent\n"
                + "</s>",
                ChatTemplate.of(template, "", "").render(List.of(user("hi"), assistant("yo")), false));
    }

    @Test
    void generationTagPrintsItsBodyInItsOwnScope() {
        // transformers' AssistantTracker extension defines the tag.
        String template = "{% for m in messages %}<{{ m.role }}>\n{% if m.role == 'assistant' %}\n"
                + "  {% generation %}\n  {{ m.content }}{% set x = 1 %}\n  {% endgeneration %}\n"
                + "{% else %}\n{{ m.content }}\n{% endif %}\n{% endfor %}[{{ x }}]";
        assertEquals("<user>\nq\n<assistant>\n  a[]",
                ChatTemplate.of(template, "", "").render(List.of(user("q"), assistant("a")), false));
    }

    @Test
    void tojsonWritesWhatPythonsJsonDumpsWrites() {
        String template = "{{ messages[0] | tojson }}\n"
                + "{{ messages | tojson(indent=2) }}\n"
                + "{{ {'b': 1.5, 'a': [true, none, 1e20, 0.0001, 'é\"\\\\\\n']} | tojson(sort_keys=true) }}";
        List<ChatMessage> conversation = List.of(user("Ça va? \"quoted\" \\ back"), assistant("😀\ttab"));
        assertEquals("{\"role\": \"user\", \"content\": \"Ça va? \\\"quoted\\\" \\\\ back\"}\n"
                + "[\n"
                + "  {\n"
                + "    \"role\": \"user\",\n"
                + "    \"content\": \"Ça va? \\\"quoted\\\" \\\\ back\"\n"
                + "  },\n"
                + "  {\n"
                + "    \"role\": \"assistant\",\n"
                + "    \"content\": \"😀\\ttab\"\n"
                + "  }\n"
                + "]\n"
                + "{\"a\": [true, null, 1e+20, 0.0001, \"é\\\"\\\\\\n\"], \"b\": 1.5}",
                ChatTemplate.of(template, "", "").render(conversation, false));
    }

    @Test
    void pythonStringMethodsAndIndexing() {
        String template = "{% set c = messages[0].content %}"
                + "[{{ c.strip() }}][{{ c.lstrip() }}][{{ c.rstrip() }}][{{ c.strip(' *') }}]"
                + "[{{ c.upper() }}][{{ c.lower() }}][{{ c.replace('a', 'o') }}]"
                + "[{{ c.split() }}][{{ c.split('*') }}][{{ c.split(' ', 1) }}]"
                + "[{{ c.startswith('  *') }}][{{ c.endswith('x') }}]"
                + "[{{ c[2] }}][{{ c[-1] }}][{{ c[::-1] }}][{{ c[1:4] }}][{{ c|length }}]"
                + "[{{ messages[0].get('name', 'anon') }}]";
        assertEquals("[*Banana split*][*Banana split*  ][  *Banana split*][Banana split]"
                + "[  *BANANA SPLIT*  ][  *banana split*  ][  *Bonono split*  ]"
                + "[['*Banana', 'split*']][['  ', 'Banana split', '  ']][['', ' *Banana split*  ']]"
                + "[True][False]"
                + "[*][ ][  *tilps ananaB*  ][ *B][18]"
                + "[anon]",
                ChatTemplate.of(template, "", "").render(List.of(user("  *Banana split*  ")), false));
    }

    @Test
    void operatorsBindAndYieldAsInPython() {
        String template = "[{{ messages[0].content or 'empty' }}][{{ messages[1].content or 'empty' }}]"
                + "[{{ messages[0].content and 'yes' }}][{{ not messages[0].role == 'system' }}]"
                + "[{{ not add_generation_prompt is defined }}][{{ messages|length is odd }}]"
                + "[{{ messages[1].content|length is not divisibleby 2 }}]";
        assertEquals("[hi][empty][yes][True][False][False][False]",
                ChatTemplate.of(template, "", "").render(List.of(user("hi"), assistant("")), true));
    }

    @Test
    void undefinedIsEmptyAndFalsyButHasNothingInside() {
        String template = "[{{ nothing }}][{% if nothing %}yes{% else %}no{% endif %}][{{ nothing is defined }}]"
                + "[{{ messages[0].missing is defined }}][{{ nothing|length }}]"
                + "[{% for x in nothing %}{{ x }}{% endfor %}][{{ messages[0].content.missing }}]";
        List<ChatMessage> conversation = List.of(user("hi"));
        assertEquals("[][no][False][False][0][][]", ChatTemplate.of(template, "", "").render(conversation, false));

        // jinja2: UndefinedError 'nothing' is undefined / list object has no element 3 / 'dict object' has no attribute
        for (String lookInside : List.of("{{ nothing.attribute }}", "{{ messages[3].content }}",
                "{{ messages[0].missing.deeper }}")) {
            ChatTemplate template2 = ChatTemplate.of(lookInside, "", "");
            ChatTemplateException e = assertThrows(ChatTemplateException.class,
                    () -> template2.render(conversation, false), lookInside);
            assertTrue(e.getMessage().contains("is undefined"), e.getMessage());
        }
    }

    @Test
    void messageTextIsNeverTemplateCode() {
        ChatTemplate template = ChatTemplate.of("{% for m in messages %}{{ m.content }}{% endfor %}", "", "");
        String text = "{{ 7 * 7 }} {% if true %}yes{% endif %} {# not a comment #} {{ raise_exception('x') }}";
        assertEquals(text, template.render(List.of(user(text)), false));
    }

    @Test
    void strftimeNowIsTodayAndDefined() {
        ChatTemplate template = ChatTemplate.of(
                "{% if strftime_now is defined %}{{ strftime_now('%Y-%m-%d') }}{% endif %}", "", "");
        String before = LocalDate.now().toString();
        String rendered = template.render(List.of(), false);
        String after = LocalDate.now().toString();
        assertTrue(rendered.equals(before) || rendered.equals(after), rendered);
    }

    @Test
    void strftimeFormatsLikePythonInTheCLocale() {
        // datetime(2025, 1, 2, 3, 4, 5).strftime(...) and datetime(2025, 11, 23, 15, 4, 5).strftime(...)
        String format = "%d %b %Y %H:%M:%S %a %A %B %j %p %I %y %-d %-m %% %Z%z";
        assertEquals("02 Jan 2025 03:04:05 Thu Thursday January 002 AM 03 25 2 1 % ",
                TemplateGlobals.strftime(LocalDateTime.of(2025, 1, 2, 3, 4, 5), format));
        assertEquals("23 Nov 2025 15:04:05 Sun Sunday November 327 PM 03 25 23 11 % ",
                TemplateGlobals.strftime(LocalDateTime.of(2025, 11, 23, 15, 4, 5), format));
    }

    @Test
    void templateFromTextKeepsItsSourceAndTokens() {
        ChatTemplate template = ChatTemplate.of("{{ bos_token }}{{ messages[0].content }}{{ eos_token }}", "<s>", "</s>");
        assertEquals("{{ bos_token }}{{ messages[0].content }}{{ eos_token }}", template.source());
        assertEquals("<s>", template.bosToken());
        assertEquals("</s>", template.eosToken());
        assertEquals("<s>hi</s>", template.render(List.of(user("hi")), false));
    }

    @Test
    void messagesRefuseNulls() {
        assertThrows(NullPointerException.class, () -> new ChatMessage(null, "x"));
        assertThrows(NullPointerException.class, () -> user(null));
        assertEquals(new ChatMessage("assistant", "ok"), assistant("ok"));
    }
}
