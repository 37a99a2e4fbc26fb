package dev.valence.status;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.valence.status.model.Component;
import dev.valence.status.model.Incident;
import dev.valence.status.model.IncidentStatus;
import dev.valence.status.model.Page;
import dev.valence.status.model.Snapshot;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** status.indicator and its description, derived from components, unresolved incidents and active maintenance. */
class IndicatorTest {
    static final Instant T = Instant.parse("2026-11-26T12:00:00Z");

    static Component component(String id, ComponentStatus status) {
        return new Component(id, "page00000001", id, null, status, 1, null, false, true, false, null, null, T, T, List.of());
    }

    static Incident incident(IncidentStatus status, Impact impact) {
        boolean maintenance = status.kind() == IncidentStatus.Kind.MAINTENANCE;
        return new Incident("inc" + status.name().toLowerCase().substring(0, 3) + impact.name().toLowerCase().substring(0, 3) + "xx",
                "page00000001", status.kind(), "x", status, impact, null, T, T, T, null, status.isOpen() ? null : T,
                maintenance ? T : null, maintenance ? T.plusSeconds(3600) : null, List.of(), List.of());
    }

    static Stream<Arguments> table() {
        return Stream.of(
                Arguments.of("all operational", List.of(ComponentStatus.OPERATIONAL, ComponentStatus.OPERATIONAL), List.of(), "none", "All Systems Operational"),
                Arguments.of("one degraded", List.of(ComponentStatus.OPERATIONAL, ComponentStatus.DEGRADED_PERFORMANCE), List.of(), "minor", "Minor Service Outage"),
                Arguments.of("one partial outage", List.of(ComponentStatus.PARTIAL_OUTAGE, ComponentStatus.DEGRADED_PERFORMANCE), List.of(), "major", "Partial System Outage"),
                Arguments.of("one major outage", List.of(ComponentStatus.MAJOR_OUTAGE, ComponentStatus.OPERATIONAL), List.of(), "critical", "Major Service Outage"),
                Arguments.of("under maintenance only", List.of(ComponentStatus.UNDER_MAINTENANCE), List.of(), "none", "Service Under Maintenance"),
                Arguments.of("open minor incident, components fine", List.of(ComponentStatus.OPERATIONAL),
                        List.of(incident(IncidentStatus.INVESTIGATING, Impact.MINOR)), "minor", "Minor Service Outage"),
                Arguments.of("open critical incident wins", List.of(ComponentStatus.DEGRADED_PERFORMANCE),
                        List.of(incident(IncidentStatus.IDENTIFIED, Impact.CRITICAL)), "critical", "Major Service Outage"),
                Arguments.of("resolved incidents do not count", List.of(ComponentStatus.OPERATIONAL),
                        List.of(incident(IncidentStatus.RESOLVED, Impact.CRITICAL)), "none", "All Systems Operational"),
                Arguments.of("impact none adds nothing", List.of(ComponentStatus.OPERATIONAL),
                        List.of(incident(IncidentStatus.MONITORING, Impact.NONE)), "none", "All Systems Operational"),
                Arguments.of("active maintenance", List.of(ComponentStatus.OPERATIONAL),
                        List.of(incident(IncidentStatus.IN_PROGRESS, Impact.MAINTENANCE)), "none", "Service Under Maintenance"),
                Arguments.of("scheduled maintenance is not active", List.of(ComponentStatus.OPERATIONAL),
                        List.of(incident(IncidentStatus.SCHEDULED, Impact.MAINTENANCE)), "none", "All Systems Operational"),
                Arguments.of("an outage during maintenance", List.of(ComponentStatus.PARTIAL_OUTAGE),
                        List.of(incident(IncidentStatus.VERIFYING, Impact.MAINTENANCE)), "major", "Partial System Outage"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void the_indicator_is_the_worst_of_components_and_open_incidents(String name, List<ComponentStatus> statuses, List<Incident> incidents,
                                                                    String indicator, String description) {
        var components = new ArrayList<Component>();
        for (int i = 0; i < statuses.size(); i++) components.add(component("component" + String.format("%03d", i), statuses.get(i)));
        var snapshot = new Snapshot(new Page("page00000001", "p", "https://x/", "Etc/UTC", T), components, incidents, Map.of(), T);
        assertEquals(indicator, snapshot.indicator().wire());
        assertEquals(description, snapshot.description());
    }
}
