package io.agentcouncil.template;

import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.tag.Tag;
import com.hubspot.jinjava.tree.Node;
import com.hubspot.jinjava.tree.TagNode;

/**
 * transformers' {@code {% generation %}...{% endgeneration %}}, which marks the assistant's part
 * of a prompt for training masks. Rendering only prints its body; like jinja2's call block
 * behind it, the body has its own scope.
 */
final class GenerationTag implements Tag {
    private static final long serialVersionUID = 1L;

    @Override
    public String getName() {
        return "generation";
    }

    @Override
    public String getEndTagName() {
        return "endgeneration";
    }

    @Override
    public String interpret(TagNode tagNode, JinjavaInterpreter interpreter) {
        StringBuilder out = new StringBuilder();
        interpreter.enterScope();
        try {
            for (Node child : tagNode.getChildren()) {
                out.append(child.render(interpreter).getValue());
            }
        } finally {
            interpreter.leaveScope();
        }
        return out.toString();
    }
}
