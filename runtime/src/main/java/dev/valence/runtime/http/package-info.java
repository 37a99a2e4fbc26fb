/**
 * The runtime's HTTP surface: one route table ({@link dev.valence.runtime.http.RuntimeServer}), small
 * handlers that parse, call one thing and answer. No SQL here; blocking work goes to named worker pools.
 */
package dev.valence.runtime.http;
