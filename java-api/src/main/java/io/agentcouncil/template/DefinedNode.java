package io.agentcouncil.template;

import jinjava.de.odysseus.el.tree.Bindings;
import jinjava.de.odysseus.el.tree.impl.ast.AstNode;
import jinjava.de.odysseus.el.tree.impl.ast.AstRightValue;
import jinjava.javax.el.ELContext;
import jinjava.javax.el.ELException;

/**
 * The object whose attribute, item or method is being looked up ({@code x} in {@code x.y},
 * {@code x[0]}, {@code x.strip()}). jinja2 renders an undefined value as empty but fails when
 * asked for something inside it, e.g. {@code messages[0]['role']} on an empty conversation;
 * Jinjava would quietly give null, so this node fails instead. Jinjava has one null for both
 * undefined and {@code none}, so {@code none.y} fails too, where jinja2 gives undefined.
 */
final class DefinedNode extends AstRightValue {

    private final AstNode value;

    DefinedNode(AstNode value) {
        this.value = value;
    }

    @Override
    public Object eval(Bindings bindings, ELContext context) {
        Object result = value.eval(bindings, context);
        if (result == null) {
            StringBuilder name = new StringBuilder();
            value.appendStructure(name, bindings);
            throw new ELException("'" + name + "' is undefined");
        }
        return result;
    }

    @Override
    public void appendStructure(StringBuilder b, Bindings bindings) {
        value.appendStructure(b, bindings);
    }

    @Override
    public int getCardinality() {
        return 1;
    }

    @Override
    public AstNode getChild(int i) {
        return i == 0 ? value : null;
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
