/** Handing a freshly made secret (the first admin token, the first team token) to whoever starts the platform. */
package dev.valence.foundation.secrets;
