package io.agentcouncil.monitoring;

import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code monitoring/alerts.yml}: valid for Prometheus, passing its unit tests, and the same alerts as in-process. */
class PrometheusRulesTest {

    @Test
    void promtoolAcceptsTheRules() throws Exception {
        Promtool.Result r = Promtool.run(Promtool.MONITORING, "check", "rules", "alerts.yml");
        assertEquals(0, r.exitCode(), r.output());
        assertTrue(r.output().contains("SUCCESS: 4 rules found"), r.output());
    }

    @Test
    void theRulesPassTheirPromtoolUnitTests() throws Exception {
        Promtool.Result r = Promtool.run(Promtool.MONITORING, "test", "rules", "alerts_test.yml");
        assertEquals(0, r.exitCode(), r.output());
        assertTrue(r.output().contains("SUCCESS"), r.output());
    }

    @Test
    void everyInProcessAlertHasItsRuleAndMessage() throws Exception {
        String rules = Files.readString(Promtool.MONITORING.resolve("alerts.yml"));
        for (Alert a : Alert.values()) {
            assertTrue(rules.contains("- alert: " + a.ruleName()), a.ruleName());
            assertTrue(rules.contains("summary: " + a.message()), a.message());
        }
        // The in-process defaults are the rules' numbers.
        Alerting d = Alerting.defaults();
        for (String expected : List.of("gpu_utilization < " + AlertRule.format(d.rule(Alert.GPU_FELL_TO_CPU).threshold()),
                "for: " + d.rule(Alert.GPU_FELL_TO_CPU).forDuration().toMinutes() + "m",
                "[" + d.agent0LatencyWindow().toMinutes() + "m]))) > " + d.rule(Alert.AGENT0_SLOW).threshold(),
                "scratchpad_entries_queue > " + AlertRule.format(d.rule(Alert.FLUSH_STUCK).threshold()))) {
            assertTrue(rules.contains(expected), expected);
        }
    }
}
