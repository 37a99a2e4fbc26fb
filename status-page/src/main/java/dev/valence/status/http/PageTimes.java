package dev.valence.status.http;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/** Times as the page shows them: UTC, spelled out, with the distance from "now" for people skimming. */
final class PageTimes {

    private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("MMM d, uuuu, HH:mm 'UTC'", Locale.ENGLISH)
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm 'UTC'", Locale.ENGLISH).withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter LONG_DAY = DateTimeFormatter.ofPattern("MMM d, uuuu", Locale.ENGLISH);
    private static final DateTimeFormatter SHORT_DAY = DateTimeFormatter.ofPattern("MMM d", Locale.ENGLISH);

    private PageTimes() {}

    /** {@code <time datetime="2026-11-26T14:05:00Z">Nov 26, 2026, 14:05 UTC <span class="ago">(5 minutes ago)</span></time>}. */
    static String time(Instant at, Instant now) {
        return "<time datetime=\"" + iso(at) + "\">" + DATE_TIME.format(at) + " <span class=\"ago\">(" + relative(at, now) + ")</span></time>";
    }

    /** A maintenance window; the end shows only the clock when it falls on the same UTC day. */
    static String window(Instant from, Instant until) {
        String start = "<time datetime=\"" + iso(from) + "\">" + DATE_TIME.format(from) + "</time>";
        if (until == null) return "from " + start;
        boolean sameDay = day(from).equals(day(until));
        return start + " to <time datetime=\"" + iso(until) + "\">" + (sameDay ? TIME : DATE_TIME).format(until) + "</time>";
    }

    /** "just now", "1 minute ago", "3 hours ago", "in 2 days". */
    static String relative(Instant at, Instant now) {
        long seconds = Duration.between(at, now).getSeconds();
        long distance = Math.abs(seconds);
        if (distance < 60) return "just now";
        String amount;
        if (distance < 3_600) amount = plural(distance / 60, "minute");
        else if (distance < 86_400) amount = plural(distance / 3_600, "hour");
        else amount = plural(distance / 86_400, "day");
        return seconds > 0 ? amount + " ago" : "in " + amount;
    }

    static String iso(Instant at) {
        return DateTimeFormatter.ISO_INSTANT.format(at.truncatedTo(ChronoUnit.SECONDS));
    }

    static LocalDate day(Instant at) {
        return LocalDate.ofInstant(at, ZoneOffset.UTC);
    }

    /** "Nov 26, 2026". */
    static String longDay(LocalDate day) {
        return LONG_DAY.format(day);
    }

    /** "Nov 26". */
    static String shortDay(LocalDate day) {
        return SHORT_DAY.format(day);
    }

    private static String plural(long n, String unit) {
        return n + " " + unit + (n == 1 ? "" : "s");
    }
}
