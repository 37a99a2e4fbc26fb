/** What every listening port does about slow clients: idle and header deadlines, HTTP/1.1 only, body time. */
package dev.valence.foundation.edge;
