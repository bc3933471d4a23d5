package io.agentcouncil.template;

import com.hubspot.jinjava.util.ObjectTruthValue;
import jinjava.de.odysseus.el.tree.Bindings;
import jinjava.de.odysseus.el.tree.impl.ast.AstNode;
import jinjava.de.odysseus.el.tree.impl.ast.AstRightValue;
import jinjava.javax.el.ELContext;

/**
 * Python's {@code and} and {@code or}, which yield one of their operands rather than a boolean:
 * {@code message.content or ''} is the content or {@code ''}, where Jinjava would give
 * {@code True}. The right operand is evaluated only when needed.
 */
final class ShortCircuitNode extends AstRightValue {

    private final AstNode left;
    private final AstNode right;
    private final boolean or;

    ShortCircuitNode(AstNode left, AstNode right, boolean or) {
        this.left = left;
        this.right = right;
        this.or = or;
    }

    @Override
    public Object eval(Bindings bindings, ELContext context) {
        Object value = left.eval(bindings, context);
        boolean decided = ObjectTruthValue.evaluate(value) == or;
        return decided ? value : right.eval(bindings, context);
    }

    @Override
    public void appendStructure(StringBuilder b, Bindings bindings) {
        left.appendStructure(b, bindings);
        b.append(or ? " or " : " and ");
        right.appendStructure(b, bindings);
    }

    @Override
    public int getCardinality() {
        return 2;
    }

    @Override
    public AstNode getChild(int i) {
        return i == 0 ? left : i == 1 ? right : null;
    }

    @Override
    public String toString() {
        return or ? "or" : "and";
    }
}
