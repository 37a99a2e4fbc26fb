/**
 * The audit action each status-page write route records in the audit log ({@link dev.valence.foundation.audit.AuditLog},
 * which the runtime's authoring API writes too).
 */
package dev.valence.status.audit;
