/**
 * Email for real: inbound mail parsed with Jakarta Mail (a raw RFC 5322 message through the email
 * endpoint, or mail delivered to the SMTP listener) and outbound mail from {@code std/email} sent
 * through {@code SMTP_URL} with Angus Mail's SMTP transport. Depends on {@code store}, {@code guard}
 * and {@code triggers}; nothing here runs on an event loop.
 */
package dev.valence.runtime.email;
