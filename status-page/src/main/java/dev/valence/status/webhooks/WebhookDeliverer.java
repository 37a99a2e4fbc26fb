package dev.valence.status.webhooks;

import dev.valence.foundation.outbound.OutboundGuard;
import dev.valence.status.store.Ids;
import dev.valence.status.store.StatusStore;
import dev.valence.status.store.WebhookOutbox;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ConcurrentSkipListSet;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drains the webhook outbox: claims due deliveries, POSTs each signed body, and records the answer.
 * A 2xx marks a delivery delivered; any other answer, a timeout or a refused connection is retried
 * 1 s, 2 s, 4 s ... later (at most an hour apart) until the {@value #MAX_ATTEMPTS}th attempt, after
 * which it is failed; an address the {@link OutboundGuard} refuses is failed at once.
 *
 * <p>One platform thread claims; each attempt runs on a virtual thread, at most
 * {@value #CONCURRENT_ATTEMPTS} at a time. It wakes on {@link #wake()} (every status change, from
 * any process, through the snapshot keeper), when a retry this process scheduled falls due, and
 * every {@link #POLL} for what other processes scheduled.
 */
public final class WebhookDeliverer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WebhookDeliverer.class);

    public static final String USER_AGENT = "Valence-Status-Webhooks/1";
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration FIRST_RETRY = Duration.ofSeconds(1);
    public static final Duration LONGEST_RETRY = Duration.ofHours(1);
    public static final int MAX_ATTEMPTS = 10;
    public static final int CONCURRENT_ATTEMPTS = 8;
    public static final Duration POLL = Duration.ofSeconds(1);
    /** PostgreSQL's SQLSTATEs for a relation (42P01) or a column (42703) that does not exist. */
    private static final Set<String> NOT_MIGRATED_YET = Set.of("42P01", "42703");
    /** How long a claim holds a row: far beyond one attempt, so no other process sends it meanwhile. */
    public static final Duration CLAIM = Duration.ofMinutes(2);
    /** An attempt whose name lookup alone took this long gives up before sending, well inside its claim. */
    private static final Duration LATEST_SEND = CLAIM.minus(CONNECT_TIMEOUT).minus(REQUEST_TIMEOUT).minusSeconds(30);

    private final WebhookOutbox outbox;
    private final WebhookPayload payload;
    private final OutboundGuard guard;
    private final HttpClient client;
    private final String claimant = "deliverer-" + Ids.next();
    private final Semaphore attempts = new Semaphore(CONCURRENT_ATTEMPTS);
    private final Semaphore work = new Semaphore(0);
    /** When retries this process scheduled fall due (epoch ms), to claim them on time rather than at the next poll. */
    private final ConcurrentSkipListSet<Long> retriesDueMs = new ConcurrentSkipListSet<>();
    private volatile Thread thread;
    private volatile boolean running = true;
    private boolean databaseDown;
    /** Whether the outbox was ever read: a table missing after that is an outage, before it a database not yet migrated. */
    private boolean outboxSeen;

    /** Starts delivering; {@code pageUrl} (ending in '/') is the page's public address, as in the read API. */
    public WebhookDeliverer(WebhookOutbox outbox, String pageUrl, OutboundGuard guard) {
        this.outbox = outbox;
        this.payload = new WebhookPayload(pageUrl);
        this.guard = guard;
        this.client = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).followRedirects(HttpClient.Redirect.NEVER)
                .proxy(HttpClient.Builder.NO_PROXY).version(HttpClient.Version.HTTP_1_1).build();
        this.thread = Thread.ofPlatform().daemon().name("valence-webhooks").start(this::loop);
    }

    /** Whether the delivering thread runs (also true after {@link #close}): a supervisor asks. */
    public boolean loopAlive() {
        return !running || thread.isAlive();
    }

    /** Starts delivering again on a new thread after an error ended the last one; does nothing while one runs. */
    public synchronized void restartLoop() {
        if (!running || thread.isAlive()) return;
        thread = Thread.ofPlatform().daemon().name("valence-webhooks").start(this::loop);
    }

    /** Something may have been enqueued: look now rather than at the next poll. */
    public void wake() {
        if (work.availablePermits() == 0) work.release();
    }

    /** The wait after the {@code failedAttempts}th failed attempt: 1 s, doubling, at most an hour. */
    public static Duration retryDelay(int failedAttempts) {
        int doublings = Math.min(failedAttempts - 1, 30);
        Duration delay = FIRST_RETRY.multipliedBy(1L << doublings);
        return delay.compareTo(LONGEST_RETRY) > 0 ? LONGEST_RETRY : delay;
    }

    /** {@code sha256=} and the hex HMAC-SHA256 of the body, keyed with the secret's UTF-8 bytes (the 64 hex digits as shown). */
    static String signature(String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JDK", e);
        }
    }

    private void loop() {
        while (running) {
            List<WebhookOutbox.Claim> claims = List.of();
            try {
                int free = attempts.availablePermits();
                if (free > 0) claims = outbox.claim(claimant, free, CLAIM);
                outboxRead();
            } catch (StatusStore.StoreFailure e) {
                outboxUnreadable(e);
            }
            for (WebhookOutbox.Claim claim : claims) {
                attempts.acquireUninterruptibly();
                Thread.ofVirtual().name("valence-webhook-" + claim.id()).start(() -> {
                    try {
                        attempt(claim);
                    } catch (RuntimeException e) {
                        log.warn("Webhook delivery {} to subscriber {} could not be recorded ({}); it is sent again when its claim lapses,"
                                + " {} minutes after it was taken", claim.id(), claim.subscriberId(), e.getMessage(), CLAIM.toMinutes());
                    } finally {
                        attempts.release();
                        wake();
                    }
                });
            }
            waitForWork();
        }
    }

    private void outboxRead() {
        if (databaseDown) log.info("Webhook deliveries resume: the database answers again");
        databaseDown = false;
        outboxSeen = true;
    }

    /**
     * Says once that deliveries wait, except on a first start: the runtime starts the deliverer beside its
     * migrations, not after them, so until they have built the outbox its table or columns are missing by design.
     */
    private void outboxUnreadable(StatusStore.StoreFailure e) {
        if (!outboxSeen && e.getCause() instanceof SQLException sql && NOT_MIGRATED_YET.contains(sql.getSQLState())) {
            log.debug("Webhook deliveries wait for the migrations to create their outbox ({})", e.getMessage());
            return;
        }
        if (!databaseDown) log.warn("Webhook deliveries wait: the outbox cannot be read ({}); retrying every {} ms", e.getMessage(), POLL.toMillis());
        databaseDown = true;
    }

    private void waitForWork() {
        long now = System.currentTimeMillis();
        retriesDueMs.headSet(now, true).clear();
        Long retryAt = retriesDueMs.isEmpty() ? null : retriesDueMs.first();
        long waitMs = retryAt == null ? POLL.toMillis() : Math.clamp(retryAt - now, 1, POLL.toMillis());
        try {
            if (work.tryAcquire(waitMs, TimeUnit.MILLISECONDS)) work.drainPermits();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    /** One attempt at one delivery, recorded in the outbox whatever happens. */
    void attempt(WebhookOutbox.Claim claim) {
        Instant started = Instant.now();
        URI url;
        byte[] body;
        try {
            url = URI.create(claim.url());
            body = payload.render(claim.event(), claim.createdAt(), claim.frozenJson());
        } catch (RuntimeException e) {
            outbox.giveUp(claim, claimant, null, "could not be prepared (" + e + ")");
            log.error("Webhook delivery {} to subscriber {} could not be prepared", claim.id(), claim.subscriberId(), e);
            return;
        }
        Optional<String> refusal;
        try {
            refusal = guard.refusal(url);
        } catch (UnknownHostException e) {
            failed(claim, null, "could not resolve host '" + OutboundGuard.host(url) + "'");
            return;
        }
        if (refusal.isPresent()) {
            outbox.giveUp(claim, claimant, null, refusal.get());
            log.warn("Webhook delivery {} to subscriber {} {}", claim.id(), claim.subscriberId(), refusal.get());
            return;
        }
        Duration lookup = Duration.between(started, Instant.now());
        if (lookup.compareTo(LATEST_SEND) > 0) {
            failed(claim, null, "looking up '" + OutboundGuard.host(url) + "' took " + lookup.toMillis() + " ms");
            return;
        }
        HttpRequest request = HttpRequest.newBuilder(url).timeout(REQUEST_TIMEOUT)
                .header("Content-Type", "application/json")
                .header("User-Agent", USER_AGENT)
                .header("X-Valence-Event", claim.event())
                .header("X-Valence-Delivery", Long.toString(claim.id()))
                .header("X-Valence-Timestamp", Long.toString(Instant.now().getEpochSecond()))
                .header("X-Valence-Signature", signature(claim.secret(), body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        int status;
        try {
            // The body is not read: the status is the answer, and a receiver that trickles a body cannot hold the attempt.
            HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
            status = response.statusCode();
            closeQuietly(response.body());
        } catch (HttpConnectTimeoutException e) {
            failed(claim, null, "no connection within " + CONNECT_TIMEOUT.toMillis() + " ms");
            return;
        } catch (HttpTimeoutException e) {
            failed(claim, null, "no answer within " + REQUEST_TIMEOUT.toMillis() + " ms");
            return;
        } catch (ConnectException e) {
            failed(claim, null, "could not connect (" + (e.getMessage() == null ? "connection refused" : e.getMessage()) + ")");
            return;
        } catch (IOException e) {
            failed(claim, null, "request failed (" + e + ")");
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failed(claim, null, "interrupted: the status page was stopping");
            return;
        }
        if (status >= 200 && status < 300) {
            if (!outbox.delivered(claim, claimant, status)) lapsed(claim);
        } else {
            failed(claim, status, "answered HTTP " + status + (status >= 300 && status < 400 ? "; redirects are not followed" : ""));
        }
    }

    private static void closeQuietly(InputStream body) {
        try {
            body.close();
        } catch (IOException e) {
            // the answer is in; an unread body that cannot be closed cleanly changes nothing
        }
    }

    private void failed(WebhookOutbox.Claim claim, Integer status, String error) {
        boolean recorded;
        if (claim.attempt() >= MAX_ATTEMPTS) {
            recorded = outbox.giveUp(claim, claimant, status, error + "; gave up after " + claim.attempt() + " attempts");
            log.warn("Webhook delivery {} to subscriber {} failed for good: {} (attempt {})", claim.id(), claim.subscriberId(), error, claim.attempt());
        } else {
            Duration delay = retryDelay(claim.attempt());
            recorded = outbox.retryLater(claim, claimant, status, error, delay);
            retriesDueMs.add(System.currentTimeMillis() + delay.toMillis());
        }
        if (!recorded) lapsed(claim);
    }

    private void lapsed(WebhookOutbox.Claim claim) {
        log.warn("Webhook delivery {} was no longer this process's to record: its {}-minute claim lapsed (another attempt may have"
                + " sent it as well) or its subscriber was deleted", claim.id(), CLAIM.toMinutes());
    }

    /** Stops claiming; attempts under way finish (or are sent again after their claim lapses). */
    @Override
    public void close() {
        running = false;
        wake();
        try {
            thread.join(2000);
            attempts.tryAcquire(CONCURRENT_ATTEMPTS, 2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        client.shutdownNow();
    }
}
