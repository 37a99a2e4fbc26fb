package dev.valence.runtime.ratelimit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The token bucket on a clock the test moves by hand. */
class RateLimiterTest {
    private static final long SECOND_NS = 1_000_000_000L;

    @Test
    void a_full_bucket_lets_its_burst_through_then_one_request_per_interval() {
        var limiter = new RateLimiter("val", 3, 100);
        long t = 1_000 * SECOND_NS;
        for (int i = 0; i < 3; i++) assertEquals(0, limiter.acquire("a", t));
        assertEquals(20 * SECOND_NS, limiter.acquire("a", t), "3 a minute: the next token comes 20 s later");
        assertEquals(5 * SECOND_NS, limiter.acquire("a", t + 15 * SECOND_NS));
        assertEquals(0, limiter.acquire("a", t + 20 * SECOND_NS));
        assertEquals(20 * SECOND_NS, limiter.acquire("a", t + 20 * SECOND_NS));
        assertEquals(0, limiter.acquire("b", t), "another key has its own bucket");
    }

    @Test
    void an_idle_bucket_refills_to_its_burst_and_no_further() {
        var limiter = new RateLimiter("token", 3, 100);
        long t = 1_000 * SECOND_NS;
        for (int i = 0; i < 3; i++) limiter.acquire("a", t);
        long later = t + 3_600 * SECOND_NS;
        for (int i = 0; i < 3; i++) assertEquals(0, limiter.acquire("a", later));
        assertTrue(limiter.acquire("a", later) > 0, "an hour idle refills the burst of 3, not 180");
    }

    @Test
    void keys_whose_bucket_refilled_are_dropped_when_the_limiter_is_full() {
        var limiter = new RateLimiter("address", 60, 2);
        long t = 1_000 * SECOND_NS;
        limiter.acquire("a", t);
        limiter.acquire("b", t);
        assertEquals(0, limiter.acquire("c", t), "full and nothing idle: let through untracked");
        assertEquals(2, limiter.keys());
        assertEquals(0, limiter.acquire("c", t + 2 * SECOND_NS), "a and b refilled after 1 s: swept, c tracked");
        assertEquals(1, limiter.keys());
    }

    @Test
    void ipv4_clients_are_counted_per_address_and_ipv6_clients_per_64() {
        assertEquals("203.0.113.7", RateLimits.addressKey("203.0.113.7"));
        assertEquals("2001:db8:1:2::/64", RateLimits.addressKey("2001:db8:1:2:3:4:5:6"));
        assertEquals("2001:db8:1:2::/64", RateLimits.addressKey("2001:db8:1:2:ffff::1"));
        assertEquals(null, RateLimits.addressKey(null));
    }

    @Test
    void zero_a_minute_is_off() {
        var limiter = new RateLimiter("val", 0, 100);
        for (int i = 0; i < 1000; i++) assertEquals(0, limiter.acquire("a", i));
        assertEquals(0, limiter.keys());
    }
}
