/** One thread holding one PostgreSQL connection in LISTEN, reconnecting after failures: the schema guard, run notices and the status snapshot each keep one. */
package dev.valence.foundation.listen;
