/**
 * Keeps requests the platform makes on someone's behalf (status page webhooks, vals' fetch) off
 * addresses they should not reach: {@link dev.valence.foundation.outbound.OutboundGuard}, with the
 * operator's {@link dev.valence.foundation.outbound.AllowList} of exceptions.
 */
package dev.valence.foundation.outbound;
