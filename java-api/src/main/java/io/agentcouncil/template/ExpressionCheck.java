package io.agentcouncil.template;

import com.hubspot.jinjava.el.ext.ExtendedParser;
import com.hubspot.jinjava.interpret.Context;
import com.hubspot.jinjava.tree.ExpressionNode;
import com.hubspot.jinjava.tree.Node;
import com.hubspot.jinjava.tree.TagNode;
import com.hubspot.jinjava.tree.parse.ExpressionToken;
import jinjava.de.odysseus.el.tree.IdentifierNode;
import jinjava.de.odysseus.el.tree.Tree;
import jinjava.de.odysseus.el.tree.TreeBuilderException;
import jinjava.de.odysseus.el.tree.TreeStore;

/**
 * Compiles every expression of a parsed template up front and checks that the filters and tests
 * it names exist, as jinja2 does when it compiles a template. Jinjava parses tags when it builds
 * the tree but expressions only when it first evaluates them, and renders an unknown filter as
 * nothing, so without this a typo in a branch that one conversation does not reach would surface
 * on another conversation, or never. The compiled expressions land in the engine's cache, so
 * rendering does not parse them again.
 */
final class ExpressionCheck {

    private static final String FILTER = ExtendedParser.FILTER_PREFIX;
    private static final String TEST = ExtendedParser.EXPTEST_PREFIX;

    private ExpressionCheck() {}

    static void check(Node parent, TreeStore store, Context library) {
        for (Node node : parent.getChildren()) {
            String expression = expressionOf(node);
            if (expression != null && !expression.isBlank()) {
                Tree tree;
                try {
                    tree = store.get("#{" + expression.strip() + "}");
                } catch (TreeBuilderException e) {
                    throw invalid(node, e.getMessage(), e);
                }
                for (IdentifierNode identifier : tree.getIdentifierNodes()) {
                    checkKnown(node, identifier.getName(), library);
                }
            }
            check(node, store, library);
        }
    }

    /** The parser names filters {@code filter:NAME} and tests {@code exptest:NAME}. */
    private static void checkKnown(Node node, String identifier, Context library) {
        if (identifier.startsWith(FILTER) && library.getFilter(identifier.substring(FILTER.length())) == null) {
            throw invalid(node, "no filter named '" + identifier.substring(FILTER.length()) + "'", null);
        }
        if (identifier.startsWith(TEST) && library.getExpTest(identifier.substring(TEST.length())) == null) {
            throw invalid(node, "no test named '" + identifier.substring(TEST.length()) + "'", null);
        }
    }

    private static ChatTemplateException invalid(Node node, String problem, Throwable cause) {
        return new ChatTemplateException("chat template does not parse at line " + node.getLineNumber() + ": "
                + problem, cause);
    }

    /**
     * The expression a node evaluates, or null for nodes whose syntax is the tag's own business.
     * A tag that needs an expression and has none is an error here, as in jinja2; Jinjava would
     * only notice when rendering reaches it, or never ({@code {% for in x %}} renders nothing).
     */
    private static String expressionOf(Node node) {
        if (node instanceof ExpressionNode) {
            return ((ExpressionToken) node.getMaster()).getExpr();
        }
        if (!(node instanceof TagNode tag)) {
            return null;
        }
        String helpers = tag.getHelpers().strip();
        return switch (tag.getName()) {
            case "if", "elif" -> required(node, helpers, "'" + tag.getName() + "' needs a condition");
            case "for" -> loopIterable(tag, helpers);
            case "set" -> helpers.contains("=") ? required(node, after(helpers, "="), "nothing to assign") : null;
            default -> null;
        };
    }

    /**
     * The iterable of a {@code for}. Two jinja2 loop forms Jinjava would render differently, and
     * silently, are refused: a loop filter ({@code for m in messages if m.role != 'system'}, which
     * Jinjava reads as a conditional expression) and {@code for ... else} (Jinjava renders the
     * else branch after every loop).
     */
    private static String loopIterable(TagNode tag, String helpers) {
        String iterable = required(tag, after(helpers, " in "), "expected 'for <name> in <expression>'");
        if (hasTopLevelIf(iterable)) {
            throw invalid(tag, "loop filters ('for ... in ... if ...') are not supported", null);
        }
        for (Node child : tag.getChildren()) {
            if (child instanceof TagNode inner && inner.getName().equals("else")) {
                throw invalid(inner, "'for ... else' is not supported", null);
            }
        }
        return iterable;
    }

    /** Whether {@code if} appears as a word outside brackets and quotes. */
    private static boolean hasTopLevelIf(String expression) {
        int depth = 0;
        char quote = 0;
        for (int i = 0; i < expression.length(); i++) {
            char c = expression.charAt(i);
            if (quote != 0) {
                if (c == '\\') {
                    i++;
                } else if (c == quote) {
                    quote = 0;
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if (c == '(' || c == '[' || c == '{') {
                depth++;
            } else if (c == ')' || c == ']' || c == '}') {
                depth--;
            } else if (depth == 0 && expression.startsWith("if", i) && isWordAt(expression, i, 2)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isWordAt(String s, int start, int length) {
        boolean before = start == 0 || !Character.isJavaIdentifierPart(s.charAt(start - 1));
        int end = start + length;
        boolean after = end == s.length() || !Character.isJavaIdentifierPart(s.charAt(end));
        return before && after;
    }

    private static String required(Node node, String expression, String problem) {
        if (expression == null || expression.isBlank()) {
            throw invalid(node, problem, null);
        }
        return expression;
    }

    private static String after(String helpers, String separator) {
        int at = helpers.indexOf(separator);
        return at < 0 ? null : helpers.substring(at + separator.length());
    }
}
