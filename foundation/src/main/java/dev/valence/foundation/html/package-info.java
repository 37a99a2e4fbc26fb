/** Escaping text for HTML, shared by the status page and the runtime's own pages. */
package dev.valence.foundation.html;
