/**
 * The runtime's start and stop: an ordered list of services, each with a {@code start()} and a
 * {@code stop()} that return completion stages; started in order, stopped in reverse.
 */
package dev.valence.runtime.lifecycle;
