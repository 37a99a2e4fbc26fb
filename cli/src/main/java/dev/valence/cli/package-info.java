/**
 * The authors' command line, {@code ./valence vals}: a folder of val files kept in step with a Valence
 * server through its REST API (pull, push with If-Match, watch), plus logs, runs and environment
 * variables. It depends on no other module: only the JDK's HttpClient, picocli and Jackson.
 */
package dev.valence.cli;
