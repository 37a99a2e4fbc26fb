package dev.valence.runtime.triggers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Cron expressions run in UTC at the instants they name; intervals count from the previous tick. */
class ScheduleTest {
    private static final Duration MINUTE = Duration.ofMinutes(1);

    private static Instant next(String schedule, String after) {
        return Schedule.parse(schedule, MINUTE).next(Instant.parse(after));
    }

    @Test
    void cron_expressions_name_the_next_minute_in_utc() {
        assertEquals(Instant.parse("2026-01-01T00:05:00Z"), next("*/5 * * * *", "2026-01-01T00:03:10Z"));
        assertEquals(Instant.parse("2026-01-01T00:10:00Z"), next("*/5 * * * *", "2026-01-01T00:05:00Z"), "strictly after");
        // 2026-01-03 is a Saturday: the next weekday 09:00 is Monday the 5th
        assertEquals(Instant.parse("2026-01-05T09:00:00Z"), next("0 9 * * MON-FRI", "2026-01-03T10:00:00Z"));
        assertEquals(Instant.parse("2026-01-01T01:00:00Z"), next("@hourly", "2026-01-01T00:00:01Z"));
        assertEquals(Instant.parse("2026-02-01T00:00:00Z"), next("@monthly", "2026-01-15T00:00:00Z"));
        assertEquals(Instant.parse("2026-01-01T00:30:00Z"), next("30 * * * *", "2026-01-01T00:00:00Z"));
    }

    @Test
    void intervals_accept_every_and_the_four_units() {
        assertEquals(new Schedule.Interval(Duration.ofMinutes(5)), Schedule.parse("every 5m", MINUTE));
        assertEquals(new Schedule.Interval(Duration.ofMinutes(15)), Schedule.parse("15m", MINUTE));
        assertEquals(new Schedule.Interval(Duration.ofHours(2)), Schedule.parse("every 2 h", MINUTE));
        assertEquals(new Schedule.Interval(Duration.ofDays(1)), Schedule.parse("1d", MINUTE));
        assertEquals(new Schedule.Interval(Duration.ofSeconds(90)), Schedule.parse("EVERY 90S", MINUTE));
    }

    @Test
    void an_interval_that_fell_behind_resumes_at_its_next_slot_once() {
        var every = new Schedule.Interval(Duration.ofMinutes(5));
        Instant due = Instant.parse("2026-01-01T00:00:00Z");
        assertEquals(Instant.parse("2026-01-01T00:05:00Z"), every.nextAfter(due, Instant.parse("2026-01-01T00:00:01Z")));
        assertEquals(Instant.parse("2026-01-01T01:05:00Z"), every.nextAfter(due, Instant.parse("2026-01-01T01:02:00Z")));
    }

    @Test
    void bad_schedules_are_refused_with_a_sentence_naming_the_problem() {
        assertEquals("The schedule is empty; use a cron expression such as '*/5 * * * *' or an interval such as 'every 5m'.",
                assertThrows(IllegalArgumentException.class, () -> Schedule.parse(" ", MINUTE)).getMessage());
        assertEquals("The interval 'every 0m' is zero; it must be at least 1.",
                assertThrows(IllegalArgumentException.class, () -> Schedule.parse("every 0m", MINUTE)).getMessage());
        assertEquals("The interval '30s' is shorter than the minimum of 60 seconds.",
                assertThrows(IllegalArgumentException.class, () -> Schedule.parse("30s", MINUTE)).getMessage());
        assertEquals("The interval '400d' is longer than a year.",
                assertThrows(IllegalArgumentException.class, () -> Schedule.parse("400d", MINUTE)).getMessage());
        assertEquals("The cron expression '0 0 * * * *' has 6 fields; it needs 5 (minute hour day-of-month month day-of-week, in UTC), such as '*/5 * * * *'.",
                assertThrows(IllegalArgumentException.class, () -> Schedule.parse("0 0 * * * *", MINUTE)).getMessage());
        String invalid = assertThrows(IllegalArgumentException.class, () -> Schedule.parse("0 25 * * *", MINUTE)).getMessage();
        assertEquals(true, invalid.startsWith("The cron expression '0 25 * * *' is not valid: "), invalid);
        assertEquals(true, invalid.endsWith(". Write 5 fields (minute hour day-of-month month day-of-week, in UTC), such as '0 9 * * MON-FRI'."), invalid);
    }
}
