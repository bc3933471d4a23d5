package io.agentcouncil.template;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.LegacyOverrides;
import com.hubspot.jinjava.el.JinjavaInterpreterResolver;
import com.hubspot.jinjava.el.TruthyTypeConverter;
import com.hubspot.jinjava.interpret.Context;
import com.hubspot.jinjava.interpret.InterpretException;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.interpret.TemplateError;
import com.hubspot.jinjava.lib.fn.ELFunctionDefinition;
import com.hubspot.jinjava.tree.Node;
import jinjava.de.odysseus.el.ExpressionFactoryImpl;
import jinjava.de.odysseus.el.tree.TreeStore;
import jinjava.de.odysseus.el.tree.impl.Cache;
import jinjava.javax.el.CompositeELResolver;
import jinjava.javax.el.ExpressionFactory;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * Jinjava configured to behave like the jinja2 environment Hugging Face renders chat templates
 * with: Python's expression syntax and string methods, {@code tojson}, {@code raise_exception},
 * {@code strftime_now}, jinja2's whitespace rules, and no access to anything outside the template.
 * One instance serves all templates; parsed templates are immutable trees rendered with a fresh
 * interpreter per call, which makes rendering thread-safe.
 */
final class JinjaEngine {

    static final JinjaEngine INSTANCE = new JinjaEngine();

    private final Jinjava jinjava;
    private final JinjavaConfig config;
    private final TreeStore expressions;

    private JinjaEngine() {
        CompositeELResolver resolver = new CompositeELResolver();
        resolver.add(new PythonMethodResolver());
        // Read-only, as in transformers' ImmutableSandboxedEnvironment.
        resolver.add(JinjavaInterpreterResolver.DEFAULT_RESOLVER_READ_ONLY);
        config = JinjavaConfig.newBuilder()
                // jinja2's trim_blocks/lstrip_blocks are applied to the source by Jinja2Whitespace.
                .withTrimBlocks(false)
                .withLstripBlocks(false)
                // Rendered text is never parsed again: "{{" typed by a user stays literal.
                .withNestedInterpretationEnabled(false)
                .withElResolver(resolver)
                // jinja2's semantics, which Jinjava keeps behind these switches for its older users.
                .withLegacyOverrides(LegacyOverrides.newBuilder()
                        .withUseNaturalOperatorPrecedence(true)
                        .withParseWhitespaceControlStrictly(true)
                        .withUseTrimmingForNotesAndExpressions(true)
                        .withUsePyishObjectMapper(true)
                        .withEvaluateMapKeys(true)
                        .withIterateOverMapKeys(true)
                        .withKeepNullableLoopValues(true)
                        .build())
                .build();
        expressions = new TreeStore(new PythonSyntaxBuilder(), new Cache(1000));
        ExpressionFactory factory = new ExpressionFactoryImpl(expressions, new PythonTypeConverter());
        jinjava = new Jinjava(config) {
            @Override
            public ExpressionFactory getExpressionFactory() {
                return factory;
            }
        };
        // A template comes from a model file: {% include %} and friends must not read classpath resources.
        jinjava.setResourceLocator((name, encoding, interpreter) -> {
            throw new IOException("chat templates cannot load other templates (" + name + ")");
        });
        Context globals = jinjava.getGlobalContext();
        globals.registerFunction(new ELFunctionDefinition("", "raise_exception", TemplateGlobals.class,
                "raiseException", Object.class));
        globals.registerFunction(new ELFunctionDefinition("", "strftime_now", TemplateGlobals.class,
                "strftimeNow", String.class));
        globals.registerFilter(new TojsonFilter());
        globals.registerFilter(new TrimFilter());
        globals.registerTag(new GenerationTag());
        // In jinja2 the functions are also variables: Llama 3.x asks `strftime_now is defined`.
        for (String name : List.of("raise_exception", "strftime_now")) {
            globals.put(name, new FunctionName(name));
        }
    }

    /** {@code 'x' ~ flag} gives {@code xTrue}, as in Python, where Jinjava gives {@code xtrue}. */
    private static final class PythonTypeConverter extends TruthyTypeConverter {
        private static final long serialVersionUID = 1L;

        @Override
        protected String coerceToString(Object value) {
            if (value instanceof Boolean flag) {
                return flag ? "True" : "False";
            }
            return super.coerceToString(value);
        }
    }

    /** Prints {@code {{ flag }}} as Python does, {@code True}/{@code False}, where Jinjava prints true/false. */
    private static final class PythonOutputInterpreter extends JinjavaInterpreter {
        PythonOutputInterpreter(Jinjava jinjava, Context context, JinjavaConfig config) {
            super(jinjava, context, config);
        }

        @Override
        public String getAsString(Object value) {
            if (value instanceof Boolean flag) {
                return flag ? "True" : "False";
            }
            return super.getAsString(value);
        }
    }

    /** What a template sees when it uses a global function as a value instead of calling it. */
    private record FunctionName(String name) {
        @Override
        public String toString() {
            return "<function " + name + ">";
        }
    }

    /** Parses and checks a template once; the tree is then shared by every render. */
    Node parse(String template) {
        JinjavaInterpreter interpreter = jinjava.newInterpreter();
        JinjavaInterpreter.pushCurrent(interpreter);
        try {
            Node root = interpreter.parse(Jinja2Whitespace.apply(template));
            throwIfFailed(interpreter.getErrors(), "chat template does not parse");
            ExpressionCheck.check(root, expressions, interpreter.getContext());
            return root;
        } finally {
            JinjavaInterpreter.popCurrent();
        }
    }

    String render(Node root, Map<String, Object> variables) {
        Context context = new Context(jinjava.getGlobalContextCopy(), variables, config.getDisabled());
        JinjavaInterpreter interpreter = new PythonOutputInterpreter(jinjava, context, config);
        JinjavaInterpreter.pushCurrent(interpreter);
        try {
            String output = interpreter.render(root, false);
            // Jinjava records errors and renders on; jinja2 stops at the first one.
            throwIfFailed(interpreter.getErrors(), "chat template failed to render");
            return output;
        } catch (ChatTemplateException e) {
            throw e;
        } catch (InterpretException e) {
            String line = e.getLineNumber() > 0 ? " at line " + e.getLineNumber() : "";
            throw new ChatTemplateException("chat template failed to render" + line + ": " + oneLine(e.getMessage()), e);
        } catch (RuntimeException e) {
            throw new ChatTemplateException("chat template failed to render: " + e.getMessage(), e);
        } finally {
            JinjavaInterpreter.popCurrent();
        }
    }

    /**
     * Fails with the first error. Warnings count too: the ones Jinjava raises (unclosed comment,
     * end tag without start) are syntax errors to jinja2.
     */
    private static void throwIfFailed(List<TemplateError> errors, String what) {
        if (errors.isEmpty()) {
            return;
        }
        TemplateError first = errors.get(0);
        for (Throwable t = first.getException(); t != null; t = t.getCause()) {
            if (t instanceof ChatTemplateException raised) {
                throw raised;
            }
        }
        String line = first.getLineno() > 0 ? " at line " + first.getLineno() : "";
        throw new ChatTemplateException(what + line + ": " + oneLine(first.getMessage()), first.getException());
    }

    /** Jinjava quotes tags in its messages, with the newlines Jinja2Whitespace moved into them. */
    private static String oneLine(String message) {
        return message == null ? null : message.replaceAll("\\s*\n\\s*", " ");
    }
}
