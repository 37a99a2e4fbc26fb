package dev.valence.status;

import java.time.Instant;
import java.util.List;

/**
 * An open incident as the platform's 503 answer reports it in JSON, in the words of the Statuspage API.
 *
 * @param status the incident's status as the API names it ({@code investigating} ...)
 * @param impact its impact as the API names it ({@code major} ...)
 * @param url its shortlink on the status page
 * @param updates its public updates, newest first
 */
public record OpenIncident(String id, String name, String status, String impact, String url, List<Update> updates) {

    /** One public update: when it is shown as written, the incident's status it set, and its text (Markdown). */
    public record Update(Instant at, String status, String body) {}
}
