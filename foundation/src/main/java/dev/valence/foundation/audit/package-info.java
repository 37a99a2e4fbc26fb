/**
 * The audit log: who created, changed or deleted a val, token, user, env var, incident or component,
 * when and from which address. One table in {@code control}, written by the runtime's authoring API and
 * the status page's write routes, read by admins through {@code GET /api/v1/audit}. No Vert.x here.
 */
package dev.valence.foundation.audit;
