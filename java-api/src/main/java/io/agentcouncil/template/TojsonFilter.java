package io.agentcouncil.template;

import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.filter.Filter;

import java.util.List;
import java.util.Map;

/**
 * {@code tojson} as Hugging Face defines it for chat templates, replacing Jinjava's (compact
 * separators) and jinja2's (HTML-escaping) versions:
 * {@code tojson(x, ensure_ascii=False, indent=None, separators=None, sort_keys=False)}.
 */
final class TojsonFilter implements Filter {

    private static final List<String> PARAMETERS = List.of("ensure_ascii", "indent", "separators", "sort_keys");

    @Override
    public String getName() {
        return "tojson";
    }

    @Override
    public Object filter(Object var, JinjavaInterpreter interpreter, String... args) {
        return filter(var, interpreter, args, Map.of());
    }

    @Override
    public Object filter(Object var, JinjavaInterpreter interpreter, Object[] args, Map<String, Object> kwargs) {
        Object[] values = new Object[PARAMETERS.size()];
        for (int i = 0; i < args.length && i < values.length; i++) {
            values[i] = args[i];
        }
        kwargs.forEach((name, value) -> {
            int at = PARAMETERS.indexOf(name);
            if (at < 0) {
                throw new IllegalArgumentException("tojson() got an unexpected keyword argument '" + name + "'");
            }
            values[at] = value;
        });
        return new PythonJson(indent(values[1]), separators(values[2]), truthy(values[3]), truthy(values[0]))
                .dumps(var);
    }

    /** Python's json takes an indent as a number of spaces or as the string itself. */
    private static String indent(Object indent) {
        if (indent == null) {
            return null;
        }
        return indent instanceof Number n ? " ".repeat(n.intValue()) : indent.toString();
    }

    private static List<String> separators(Object separators) {
        if (separators == null) {
            return null;
        }
        if (separators instanceof List<?> pair && pair.size() == 2) {
            return List.of(String.valueOf(pair.get(0)), String.valueOf(pair.get(1)));
        }
        throw new IllegalArgumentException("tojson separators must be an (item, key) pair, got " + separators);
    }

    private static boolean truthy(Object flag) {
        return flag instanceof Boolean b && b;
    }
}
