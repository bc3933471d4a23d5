package io.agentcouncil.template;

import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.filter.Filter;

/**
 * jinja2's {@code trim(chars=None)}: Python's {@code str.strip}, which also removes U+00A0 and
 * other Unicode spaces that Jinjava's Java {@code trim} keeps, and an undefined value gives
 * {@code ""} where Jinjava gives {@code "null"}. Chat templates trim every message with it.
 */
final class TrimFilter implements Filter {

    @Override
    public String getName() {
        return "trim";
    }

    @Override
    public Object filter(Object var, JinjavaInterpreter interpreter, String... args) {
        String text = var == null ? "" : interpreter.getAsString(var);
        return PythonStr.strip(text, args.length > 0 ? args[0] : null);
    }
}
