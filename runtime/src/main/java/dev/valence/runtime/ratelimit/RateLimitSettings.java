package dev.valence.runtime.ratelimit;

/**
 * The limits, in requests a minute (each also the burst a full bucket allows); 0 turns one off.
 *
 * @param apiPerToken   authoring API requests per API token (API_RATE_PER_TOKEN_PER_MINUTE)
 * @param apiPerAddress authoring API requests per client address, with or without a token (API_RATE_PER_ADDRESS_PER_MINUTE)
 * @param valPerMinute  requests to one HTTP val, whoever sends them (VAL_RATE_PER_MINUTE)
 */
public record RateLimitSettings(int apiPerToken, int apiPerAddress, int valPerMinute) {
    /** Keys one limiter tracks at most (a bucket costs ~150 bytes, so ~15 MB for each limiter when full). */
    public static final int MAX_KEYS = 100_000;
}
