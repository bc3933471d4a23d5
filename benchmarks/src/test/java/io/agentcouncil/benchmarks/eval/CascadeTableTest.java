package io.agentcouncil.benchmarks.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.agentcouncil.benchmarks.eval.CascadeEval.Line;
import io.agentcouncil.benchmarks.eval.CascadeEval.Row;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The cascade table's arithmetic on four hand-made questions (pure logic: no model). */
class CascadeTableTest {

    // confidence, Agent-0 right, council right, Agent-0 ms, council ms
    private static final List<Row> ROWS = List.of(
            row(0.9, true, true, 100, 1000),    // Agent-0 sure and right
            row(0.2, false, true, 200, 1000),   // unsure, wrong; the council saves it
            row(0.7, false, false, 100, 1000),  // sure, wrong; nobody is right
            row(0.3, true, false, 100, 1000));  // unsure, right; the council would be wrong

    @Test
    void gatesTradeAccuracyForCompute() {
        List<Line> table = CascadeEval.table(ROWS);
        assertEquals(0.5, table.get(0).accuracy(), 1e-12);   // Agent-0 only
        assertEquals(125, table.get(0).meanMs(), 1e-9);
        assertEquals(0.5, table.get(1).accuracy(), 1e-12);   // council only
        assertEquals(1000, table.get(1).meanMs(), 1e-9);
        Line gate65 = line(table, "cascade", 0.65);          // escalates the 0.2 and the 0.3
        assertEquals(0.5, gate65.escalated(), 1e-12);
        assertEquals(0.5, gate65.accuracy(), 1e-12);         // rows 1 and 2 right
        assertEquals((500 + 2000) / 4.0, gate65.meanMs(), 1e-9);
    }

    @Test
    void theOracleEscalatesOnlyWhereTheCouncilFixesAgent0() {
        List<Line> table = CascadeEval.table(ROWS);
        Line oracle = line(table, "oracle gate", Double.NaN);
        assertEquals(0.75, oracle.accuracy(), 1e-12);        // rows 1, 2 and 4 right
        assertEquals(0.25, oracle.escalated(), 1e-12);
        assertEquals((500 + 1000) / 4.0, oracle.meanMs(), 1e-9);
        Line early = line(table, "oracle, early", Double.NaN);
        assertEquals(0.75, early.accuracy(), 1e-12);
        assertEquals((100 + 1000 + 100 + 100) / 4.0, early.meanMs(), 1e-9); // Agent-0 free where it escalated
    }

    private static Line line(List<Line> table, String name, double gate) {
        return table.stream().filter(l -> l.name().equals(name) && (Double.isNaN(gate) || Math.abs(l.gate() - gate) < 1e-9))
                .findFirst().orElseThrow();
    }

    private static Row row(double confidence, boolean a0, boolean council, double a0Ms, double councilMs) {
        return new Row("q", "test", confidence, a0, council, a0Ms, councilMs, 10, 20, "", "", List.of());
    }
}
