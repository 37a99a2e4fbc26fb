/**
 * Browser sessions kept in {@code control}: a signed-in browser holds a random session id in an
 * HttpOnly cookie, never a token. Used by the status page's /ops view; the runtime's web editor is
 * meant to use the same store (see {@link dev.valence.foundation.session.Sessions}). No Vert.x here.
 */
package dev.valence.foundation.session;
