package dev.valence.status.http;

import dev.valence.foundation.html.HtmlEscape;
import dev.valence.status.ComponentStatus;
import dev.valence.status.Impact;
import dev.valence.status.model.Indicator;

/**
 * How a status looks: a CSS class for its colour and an icon whose shape differs per tone, so the page never
 * relies on colour alone. Text always goes next to it; the icon is hidden from assistive technology.
 */
enum StatusTone {
    OK("ok", "<circle cx=\"8\" cy=\"8\" r=\"7\"/><path d=\"M4.8 8.3l2.1 2.1 4.3-4.6\"/>"),
    MINOR("minor", "<circle cx=\"8\" cy=\"8\" r=\"7\"/><path d=\"M4.8 8h6.4\"/>"),
    MAJOR("major", "<path d=\"M8 1.8 15 14H1z\"/><path d=\"M8 6.2v3.6M8 11.9v.2\"/>"),
    CRITICAL("critical", "<circle cx=\"8\" cy=\"8\" r=\"7\"/><path d=\"M5.5 5.5l5 5M10.5 5.5l-5 5\"/>"),
    MAINTENANCE("maint", "<circle cx=\"8\" cy=\"8\" r=\"7\"/><path d=\"M8 4.3V8l2.6 1.6\"/>"),
    NEUTRAL("neutral", "<circle cx=\"8\" cy=\"8\" r=\"7\"/><path d=\"M8 7.4v4M8 4.7v.2\"/>");

    private final String css;
    private final String iconShapes;

    StatusTone(String css, String iconShapes) {
        this.css = css;
        this.iconShapes = iconShapes;
    }

    /** The suffix of the page's colour classes: {@code t-ok}, {@code d-ok} and so on. */
    String css() {
        return css;
    }

    String icon() {
        return "<svg class=\"icon\" viewBox=\"0 0 16 16\" aria-hidden=\"true\" focusable=\"false\" fill=\"none\" stroke=\"currentColor\""
                + " stroke-width=\"2\" stroke-linecap=\"round\" stroke-linejoin=\"round\">" + iconShapes + "</svg>";
    }

    /** Colour, icon and the (escaped) label together. */
    String badge(String label) {
        return "<span class=\"tone t-" + css + "\">" + icon() + HtmlEscape.escape(label) + "</span>";
    }

    static StatusTone of(ComponentStatus status) {
        return switch (status) {
            case OPERATIONAL -> OK;
            case DEGRADED_PERFORMANCE -> MINOR;
            case PARTIAL_OUTAGE -> MAJOR;
            case MAJOR_OUTAGE -> CRITICAL;
            case UNDER_MAINTENANCE -> MAINTENANCE;
        };
    }

    static StatusTone of(Impact impact) {
        return switch (impact) {
            case NONE -> NEUTRAL;
            case MINOR -> MINOR;
            case MAJOR -> MAJOR;
            case CRITICAL -> CRITICAL;
            case MAINTENANCE -> MAINTENANCE;
        };
    }

    /** The overall indicator's tone; {@code maintenance} turns an all-clear blue. */
    static StatusTone of(Indicator indicator, boolean maintenance) {
        return switch (indicator) {
            case NONE -> maintenance ? MAINTENANCE : OK;
            case MINOR -> MINOR;
            case MAJOR -> MAJOR;
            case CRITICAL -> CRITICAL;
        };
    }
}
