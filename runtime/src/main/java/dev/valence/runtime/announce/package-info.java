/**
 * The runtime announcing its own trouble on the status page: schema guard transitions become
 * automatic incidents (one per cause across all instances) and are resolved when no live instance
 * is affected any more.
 */
package dev.valence.runtime.announce;
