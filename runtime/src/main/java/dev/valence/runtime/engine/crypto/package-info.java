/**
 * The host side of {@code crypto.subtle} beyond digests: key import, export and generation, signatures,
 * ciphers and key derivation on the JDK's own providers. The JavaScript half ({@code js/webcrypto.js})
 * checks algorithms, usages and formats as the WebCrypto standard says and calls {@link
 * dev.valence.runtime.engine.crypto.WebCrypto#FUNCTIONS}; key material stays in Java, held by the
 * guest only as an opaque handle inside a private field of its {@code CryptoKey}.
 */
package dev.valence.runtime.engine.crypto;
