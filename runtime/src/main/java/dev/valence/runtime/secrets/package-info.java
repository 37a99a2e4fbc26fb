/**
 * Secrets at rest: the keyring ({@link dev.valence.runtime.secrets.SecretKeys}, from
 * {@code VALENCE_SECRET_KEY} or a 0600 key file) and the AES-GCM sealing of environment values
 * ({@link dev.valence.runtime.secrets.EnvCipher}). Depends on the JDK only, so the store and the
 * ops CLI can both use it.
 */
package dev.valence.runtime.secrets;
