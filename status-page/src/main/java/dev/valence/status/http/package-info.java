/**
 * The status page's HTTP surface: the Statuspage v2 read API, feeds, the HTML page, the live stream
 * and the team's write API. Everything read is rendered from the in-memory snapshot. {@link
 * dev.valence.status.http.PageLook} lends the page's look to the fallback page the runtime serves.
 */
package dev.valence.status.http;
