package io.agentcouncil.template;

import com.hubspot.jinjava.el.ExtendedSyntaxBuilder;
import com.hubspot.jinjava.el.ext.ExtendedParser;
import com.hubspot.jinjava.el.ext.NamedParameterOperator;
import jinjava.de.odysseus.el.tree.impl.Parser;
import jinjava.de.odysseus.el.tree.impl.Scanner.ScanException;
import jinjava.de.odysseus.el.tree.impl.Scanner.Symbol;
import jinjava.de.odysseus.el.tree.impl.Scanner.Token;
import jinjava.de.odysseus.el.tree.impl.ast.AstBracket;
import jinjava.de.odysseus.el.tree.impl.ast.AstDot;
import jinjava.de.odysseus.el.tree.impl.ast.AstIdentifier;
import jinjava.de.odysseus.el.tree.impl.ast.AstNode;
import jinjava.de.odysseus.el.tree.impl.ast.AstUnary;

import java.util.ArrayList;
import java.util.List;

import static jinjava.de.odysseus.el.tree.impl.Builder.Feature.METHOD_INVOCATIONS;

/**
 * Jinjava's expression syntax with the gaps to jinja2 closed that chat templates fall into:
 * <ul>
 *   <li>a keyword argument's value is a whole expression; Jinjava parses {@code a=x - 1} as
 *       {@code (a=x) - 1} and fails;</li>
 *   <li>subscripts take Python slices with a step, {@code [start:stop:step]}, evaluated by
 *       {@link SliceNode} with Python's rules for every slice;</li>
 *   <li>{@code not} negates a whole comparison or test, not just the next operand;</li>
 *   <li>{@code and} and {@code or} yield an operand, see {@link ShortCircuitNode};</li>
 *   <li>a test may follow filters: {@code x|length is defined};</li>
 *   <li>looking inside an undefined value fails, see {@link DefinedNode}.</li>
 * </ul>
 * Qwen3's template needs the first two: {@code namespace(last_query_index=messages|length - 1)}
 * and {@code messages[::-1]}.
 */
final class PythonSyntaxBuilder extends ExtendedSyntaxBuilder {
    private static final long serialVersionUID = 1L;

    PythonSyntaxBuilder() {
        // The features Jinjava's own expression factory enables.
        super(METHOD_INVOCATIONS, Feature.VARARGS);
    }

    @Override
    protected Parser createParser(String expression) {
        return new PythonParser(this, expression);
    }

    private static final class PythonParser extends ExtendedParser {

        PythonParser(PythonSyntaxBuilder builder, String input) {
            super(builder, input);
        }

        /** {@code name=value} in a call: the value is a whole expression, not one operand of it. */
        @Override
        protected AstNode add(boolean required) throws ScanException, ParseException {
            if (getToken().getSymbol() == Symbol.IDENTIFIER && isKeywordEquals(lookahead(0))) {
                AstNode name = identifier(consumeToken().getImage());
                consumeToken();
                return NamedParameterOperator.HANDLER.createAstNode(name, expr(true));
            }
            return super.add(required);
        }

        /** {@code or} and {@code and} as Python evaluates them, see {@link ShortCircuitNode}. */
        @Override
        protected AstNode or(boolean required) throws ScanException, ParseException {
            AstNode v = and(required);
            while (v != null && getToken().getSymbol() == Symbol.OR) {
                consumeToken();
                v = new ShortCircuitNode(v, and(true), true);
            }
            return v;
        }

        @Override
        protected AstNode and(boolean required) throws ScanException, ParseException {
            AstNode v = eq(required);
            while (v != null && getToken().getSymbol() == Symbol.AND) {
                consumeToken();
                v = new ShortCircuitNode(v, eq(true), false);
            }
            return v;
        }

        /**
         * jinja2's {@code not} binds looser than comparisons and tests: {@code not a == b} is
         * {@code not (a == b)} and {@code not x is defined} is {@code not (x is defined)}.
         * Jinjava negates just the next operand, as Java's {@code !} does.
         */
        @Override
        protected AstNode eq(boolean required) throws ScanException, ParseException {
            if (getToken().getSymbol() == Symbol.NOT) {
                consumeToken();
                return createAstUnary(eq(true), AstUnary.NOT);
            }
            return super.eq(required);
        }

        /** Jinjava takes a test after a value but not after filters: {@code x|length is defined}. */
        @Override
        protected AstNode filter(boolean required) throws ScanException, ParseException {
            AstNode v = super.filter(required);
            if (v == null || !"is".equals(getToken().getImage())) {
                return v;
            }
            consumeToken();
            boolean negated = "not".equals(getToken().getImage());
            if (negated) {
                consumeToken();
            }
            String test = consumeToken().getImage();
            List<AstNode> args = new ArrayList<>(List.of(v, interpreter()));
            AstNode arg = value();
            if (arg != null) {
                args.add(arg);
            }
            String method = negated ? "evaluateNegated" : "evaluate";
            return createAstMethod(createAstDot(identifier(EXPTEST_PREFIX + test), method, true),
                    createAstParameters(args));
        }

        @Override
        protected AstDot createAstDot(AstNode base, String property, boolean lvalue) {
            return super.createAstDot(defined(base), property, lvalue);
        }

        @Override
        protected AstBracket createAstBracket(AstNode base, AstNode property, boolean lvalue, boolean strict) {
            return super.createAstBracket(defined(base), property, lvalue, strict);
        }

        /** Jinjava's own lookups ({@code filter:trim.filter(...)}) are not template values. */
        private static AstNode defined(AstNode base) {
            return base instanceof AstIdentifier id && id.getName().contains(":") ? base : new DefinedNode(base);
        }

        private static boolean isKeywordEquals(Token token) {
            return token.getSymbol() == Symbol.EXTENSION
                    && NamedParameterOperator.TOKEN.getImage().equals(token.getImage());
        }

        /**
         * Jinjava's postfix chain ({@code .name}, {@code .method(...)}, {@code [key]}) with the
         * slice branch replaced. Filters and tests are parsed by the caller because the engine
         * runs with natural operator precedence.
         */
        @Override
        protected AstNode value() throws ScanException, ParseException {
            boolean lvalue = true;
            AstNode v = nonliteral();
            if (v == null) {
                v = literal();
                if (v == null) {
                    return null;
                }
                lvalue = false;
            }
            while (true) {
                switch (getToken().getSymbol()) {
                    case DOT -> {
                        consumeToken();
                        AstDot dot = createAstDot(v, consumeToken(Symbol.IDENTIFIER).getImage(), lvalue);
                        v = invocable() ? createAstMethod(dot, params()) : dot;
                    }
                    case LBRACK -> {
                        consumeToken();
                        AstNode key = expr(false);
                        if (getToken().getSymbol() == Symbol.COLON) {
                            v = slice(v, key);
                        } else {
                            if (key == null) {
                                fail("an expression");
                            }
                            consumeToken(Symbol.RBRACK);
                            AstBracket bracket = createAstBracket(v, key, lvalue, true);
                            v = invocable() ? createAstMethod(bracket, params()) : bracket;
                        }
                    }
                    default -> {
                        return v;
                    }
                }
            }
        }

        /** The rest of {@code [start:stop:step]}, from the first colon; Jinjava's parser knows no step. */
        private AstNode slice(AstNode base, AstNode start) throws ScanException, ParseException {
            consumeToken(Symbol.COLON);
            AstNode stop = expr(false);
            AstNode step = null;
            if (getToken().getSymbol() == Symbol.COLON) {
                consumeToken();
                step = expr(false);
            }
            consumeToken(Symbol.RBRACK);
            return new SliceNode(defined(base), start, stop, step);
        }

        private boolean invocable() {
            return getToken().getSymbol() == Symbol.LPAREN && context.isEnabled(METHOD_INVOCATIONS);
        }
    }
}
