/**
 * The runtime's start and stop: an ordered list of services, each with a {@code start()} and a
 * {@code stop()} that return completion stages; started in order, stopped in reverse. And the two
 * shapes of background loop that an error may end and a supervisor restarts ({@link
 * dev.valence.runtime.lifecycle.Supervised}): a loop on a thread of its own ({@link
 * dev.valence.runtime.lifecycle.LoopThread}) and a task repeated by a scheduler ({@link
 * dev.valence.runtime.lifecycle.Repeating}).
 */
package dev.valence.runtime.lifecycle;
