package io.agentcouncil.template;

import jinjava.de.odysseus.el.tree.Bindings;
import jinjava.de.odysseus.el.tree.impl.ast.AstNode;
import jinjava.de.odysseus.el.tree.impl.ast.AstRightValue;
import jinjava.javax.el.ELContext;
import jinjava.javax.el.ELException;

import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code base[start:stop:step]} with Python's semantics: omitted or {@code none} bounds take their
 * defaults, negative bounds count from the end, out-of-range bounds are clamped, a negative step
 * walks backwards ({@code messages[::-1]}). Strings are sliced by code point, as Python does.
 */
final class SliceNode extends AstRightValue {

    private final AstNode base;
    private final AstNode start;
    private final AstNode stop;
    private final AstNode step;

    /**
     * @param base never evaluates to null (the parser wraps it in a {@link DefinedNode})
     * @param start null where the source omits it, likewise {@code stop} and {@code step}
     */
    SliceNode(AstNode base, AstNode start, AstNode stop, AstNode step) {
        this.base = base;
        this.start = start;
        this.stop = stop;
        this.step = step;
    }

    @Override
    public Object eval(Bindings bindings, ELContext context) {
        Object value = base.eval(bindings, context);
        Long from = bound(start, bindings, context);
        Long to = bound(stop, bindings, context);
        Long by = bound(step, bindings, context);
        if (value instanceof CharSequence text) {
            int[] codePoints = text.toString().codePoints().toArray();
            StringBuilder out = new StringBuilder();
            for (int i : indices(codePoints.length, from, to, by)) {
                out.appendCodePoint(codePoints[i]);
            }
            return out.toString();
        }
        List<Object> items = asList(value);
        List<Object> out = new ArrayList<>();
        for (int i : indices(items.size(), from, to, by)) {
            out.add(items.get(i));
        }
        return out;
    }

    private static Long bound(AstNode node, Bindings bindings, ELContext context) {
        if (node == null) {
            return null;
        }
        Object v = node.eval(bindings, context);
        if (v == null) {
            return null;
        }
        if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return ((Number) v).longValue();
        }
        throw new ELException("slice indices must be integers or none, got " + v);
    }

    private static List<Object> asList(Object value) {
        List<Object> items = new ArrayList<>();
        if (value instanceof Iterable<?> iterable) {
            iterable.forEach(items::add);
        } else if (value.getClass().isArray()) {
            for (int i = 0; i < Array.getLength(value); i++) {
                items.add(Array.get(value, i));
            }
        } else {
            throw new ELException("'" + value.getClass().getSimpleName() + "' object cannot be sliced");
        }
        return items;
    }

    /** The positions a Python slice selects, as {@code PySlice_AdjustIndices} computes them. */
    private static int[] indices(int length, Long start, Long stop, Long step) {
        long by = step == null ? 1 : step;
        if (by == 0) {
            throw new ELException("slice step cannot be zero");
        }
        long lower = by > 0 ? 0 : -1;
        long upper = by > 0 ? length : length - 1;
        long from = start == null ? (by > 0 ? lower : upper) : clamp(start, length, lower, upper);
        long to = stop == null ? (by > 0 ? upper : lower) : clamp(stop, length, lower, upper);
        List<Integer> picked = new ArrayList<>();
        for (long i = from; by > 0 ? i < to : i > to; i += by) {
            picked.add((int) i);
        }
        return picked.stream().mapToInt(Integer::intValue).toArray();
    }

    private static long clamp(long index, int length, long lower, long upper) {
        long i = index < 0 ? index + length : index;
        return Math.max(lower, Math.min(upper, i));
    }

    @Override
    public void appendStructure(StringBuilder b, Bindings bindings) {
        base.appendStructure(b, bindings);
        b.append('[');
        appendBound(b, start, bindings);
        b.append(':');
        appendBound(b, stop, bindings);
        b.append(':');
        appendBound(b, step, bindings);
        b.append(']');
    }

    private static void appendBound(StringBuilder b, AstNode node, Bindings bindings) {
        if (node != null) {
            node.appendStructure(b, bindings);
        }
    }

    @Override
    public int getCardinality() {
        return 4;
    }

    @Override
    public AstNode getChild(int i) {
        return switch (i) {
            case 0 -> base;
            case 1 -> start;
            case 2 -> stop;
            case 3 -> step;
            default -> null;
        };
    }

    @Override
    public String toString() {
        return "slice";
    }
}
