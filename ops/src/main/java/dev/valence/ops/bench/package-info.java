/** {@code ops bench}: the benchmark harness (runtime vs plain Vert.x route vs Node.js, alternated rounds). */
package dev.valence.ops.bench;
