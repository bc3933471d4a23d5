package io.agentcouncil.template;

import jinjava.javax.el.ELContext;
import jinjava.javax.el.ELResolver;

import java.beans.FeatureDescriptor;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Python {@code str} and {@code dict} behaviour that chat templates rely on and Jinjava lacks:
 * it would look up {@code content.startswith(...)} as a Java method (there is none, and Java's
 * {@code split} takes a regex), index strings by UTF-16 unit, and fail on {@code content.role}.
 * Placed before Jinjava's own resolvers; everything not handled here falls through to them.
 *
 * <p>str methods: {@code strip}, {@code lstrip}, {@code rstrip} (with optional characters),
 * {@code startswith}, {@code endswith}, {@code split} (optional separator and maxsplit),
 * {@code upper}, {@code lower}, {@code replace(old, new)}; dict: {@code get(key, default)}.
 */
final class PythonMethodResolver extends ELResolver {

    private static final Object NOT_HANDLED = new Object();
    private static final Pattern INDEX = Pattern.compile("-?[0-9]{1,18}");

    @Override
    public Object invoke(ELContext context, Object base, Object method, Class<?>[] paramTypes, Object[] params) {
        if (method == null) {
            return null;
        }
        Object[] args = params == null ? new Object[0] : params;
        Object result = NOT_HANDLED;
        if (base instanceof String s) {
            result = strMethod(s, method.toString(), args);
        } else if (base instanceof Map<?, ?> map && method.toString().equals("get") && args.length == 2) {
            result = map.containsKey(args[0]) ? map.get(args[0]) : args[1];
        }
        if (result == NOT_HANDLED) {
            return null;
        }
        context.setPropertyResolved(true);
        return result;
    }

    private static Object strMethod(String s, String name, Object[] args) {
        int n = args.length;
        return switch (name) {
            case "strip" -> n <= 1 ? PythonStr.strip(s, chars(args)) : NOT_HANDLED;
            case "lstrip" -> n <= 1 ? PythonStr.lstrip(s, chars(args)) : NOT_HANDLED;
            case "rstrip" -> n <= 1 ? PythonStr.rstrip(s, chars(args)) : NOT_HANDLED;
            case "startswith" -> n == 1 && args[0] instanceof String prefix ? s.startsWith(prefix) : NOT_HANDLED;
            case "endswith" -> n == 1 && args[0] instanceof String suffix ? s.endsWith(suffix) : NOT_HANDLED;
            case "upper" -> n == 0 ? s.toUpperCase(Locale.ROOT) : NOT_HANDLED;
            case "lower" -> n == 0 ? s.toLowerCase(Locale.ROOT) : NOT_HANDLED;
            case "split" -> n <= 2 && (n == 0 || args[0] == null || args[0] instanceof String)
                    ? PythonStr.split(s, n > 0 ? (String) args[0] : null, n > 1 ? toInt(args[1]) : -1)
                    : NOT_HANDLED;
            case "replace" -> n == 2 && args[0] instanceof String old && args[1] instanceof String replacement
                    ? s.replace(old, replacement)
                    : NOT_HANDLED;
            default -> NOT_HANDLED;
        };
    }

    /** The characters to strip, or null for Python's default of whitespace. */
    private static String chars(Object[] args) {
        return args.length == 0 || args[0] == null ? null : args[0].toString();
    }

    private static int toInt(Object value) {
        if (value instanceof Number number) {
            return number.intValue();
        }
        throw new IllegalArgumentException("an integer is required, got " + value);
    }

    /**
     * {@code content[0]} is a character counted in code points, {@code content[99]} undefined; a
     * str has no attributes, so {@code content.role} is undefined, as in jinja2. Jinjava hands
     * the index over as text ("0"), which no attribute name can be.
     */
    @Override
    public Object getValue(ELContext context, Object base, Object property) {
        if (!(base instanceof String s) || property == null) {
            return null;
        }
        context.setPropertyResolved(true);
        String key = property.toString();
        return INDEX.matcher(key).matches() ? PythonStr.charAt(s, Long.parseLong(key)) : null;
    }

    // Read-only and no properties of its own: the rest of the resolver contract is empty.

    @Override
    public Class<?> getCommonPropertyType(ELContext context, Object base) {
        return null;
    }

    @Override
    public Iterator<FeatureDescriptor> getFeatureDescriptors(ELContext context, Object base) {
        return null;
    }

    @Override
    public Class<?> getType(ELContext context, Object base, Object property) {
        return null;
    }

    @Override
    public boolean isReadOnly(ELContext context, Object base, Object property) {
        return true;
    }

    @Override
    public void setValue(ELContext context, Object base, Object property, Object value) {
        // Never resolved here.
    }
}
