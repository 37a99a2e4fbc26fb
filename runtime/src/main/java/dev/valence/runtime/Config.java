package dev.valence.runtime;

import dev.valence.runtime.db.DatabaseUrl;
import dev.valence.runtime.email.EmailSettings;
import dev.valence.runtime.email.SmtpUrl;
import dev.valence.runtime.ratelimit.RateLimitSettings;
import dev.valence.runtime.http.EdgeSettings;
import dev.valence.runtime.http.TrustedProxies;
import dev.valence.runtime.secrets.SecretKeys;
import dev.valence.runtime.store.Val;
import dev.valence.foundation.outbound.AllowList;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Every setting of the runtime, read once from the environment and validated in one place.
 * Each setting has a default that works on one machine; a bad value stops startup with a message
 * naming the variable, the rule and the value.
 *
 * <p>Settings are assigned by name in the constructor, in the order the README's table lists them;
 * adding one is a field, one line there and its accessor. {@link #names()} lists every variable read,
 * taken from the reading itself so it cannot drift from the code.
 */
public final class Config {
    public static final int DEFAULT_PORT = 8080;

    private final Optional<String> databaseUrl;
    private final Path dataDir;
    private final int embeddedPostgresPort;
    private final long embeddedPostgresDownLimitMs;
    private final String bindHost;
    private final int port;
    private final Optional<String> publicUrl;
    private final Optional<String> valsDomain;
    private final Optional<String> statusPageUrl;
    private final long valTimeoutMs;
    private final long valMemoryLimitBytes;
    private final long maxBodyBytes;
    private final int jsWorkers;
    private final int dbPoolSize;
    private final long dbConnectTimeoutMs;
    private final int logLimitBytes;
    private final int contextsPerVersion;
    private final int maxWarmVersions;
    private final boolean recordRuns;
    private final boolean migrateOnStart;
    private final long schemaPollMs;
    private final long heartbeatMs;
    private final String instanceId;
    private final boolean benchUnguardedRoute;
    private final int statusPort;
    private final boolean embedStatusPage;
    private final AllowList webhookAllowHosts;
    private final int valMaxConcurrency;
    private final long cronPollMs;
    private final long cronSyncMs;
    private final int cronMinIntervalSeconds;
    private final long logStreamHeartbeatMs;
    private final AllowList fetchAllow;
    private final long fetchTimeoutMs;
    private final long fetchMaxResponseBytes;
    private final long maxResponseBytes;
    private final long blobMaxBytes;
    private final long blobQuotaBytes;
    private final int heapHighWaterPct;
    private final EmailSettings email;
    private final long shutdownGraceMs;
    private final long shutdownDelayMs;
    private final RateLimitSettings rateLimits;
    private final EdgeSettings edge;
    private final Optional<String> secretKey;
    private final Path secretKeyFile;
    private final Val.ErrorDetail valPublicErrors;
    private final int heldWorkMaxPerOwner;
    private final long heldWorkMaxBytesPerOwner;
    private final int runRetentionDays;
    private final Optional<String> databaseDirectUrl;
    private final String npmRegistryUrl;
    private final int npmMetadataTtlS;
    private final AllowList npmRegistryAllow;

    /** Reads every setting by name; the order of reading is the order problems are listed in. */
    private Config(Reader reader, Map<String, String> env) {
        port = reader.integer("PORT", DEFAULT_PORT, 0, 65535);
        bindHost = reader.string("BIND_HOST", "127.0.0.1");
        int cores = Runtime.getRuntime().availableProcessors();
        valTimeoutMs = reader.integer("VAL_TIMEOUT_MS", 10_000, 10, 15 * 60_000);
        dataDir = Path.of(reader.string("VALENCE_DATA_DIR",
                Path.of(env.getOrDefault("HOME", System.getProperty("user.home")), ".valence").toString()));
        databaseUrl = reader.optional("DATABASE_URL");
        embeddedPostgresPort = reader.integer("EMBEDDED_PG_PORT", 0, 0, 65535);
        embeddedPostgresDownLimitMs = reader.integer("EMBEDDED_PG_DOWN_LIMIT_MS", 60_000, 1_000, 24 * 3_600_000);
        publicUrl = reader.optional("PUBLIC_URL").map(Config::stripSlash);
        // every val gets its own origin out of the box: browsers resolve *.localhost to loopback (RFC 6761)
        valsDomain = Optional.of(reader.string("VALS_DOMAIN", "localhost").toLowerCase());
        statusPageUrl = reader.optional("STATUS_PAGE_URL");
        valMemoryLimitBytes = reader.integer("VAL_MEMORY_LIMIT_MB", 256, 1, 64 * 1024) * 1024L * 1024L;
        maxBodyBytes = reader.integer("MAX_BODY_BYTES", 10 * 1024 * 1024, 1024, Integer.MAX_VALUE);
        jsWorkers = reader.integer("JS_WORKERS", Math.max(4, cores * 2), 1, 1024);
        dbPoolSize = reader.integer("DB_POOL_SIZE", 10, 1, 500);
        dbConnectTimeoutMs = reader.integer("DB_CONNECT_TIMEOUT_MS", 5_000, 250, 600_000);
        logLimitBytes = reader.integer("VAL_LOG_LIMIT_BYTES", 64 * 1024, 0, 16 * 1024 * 1024);
        contextsPerVersion = reader.integer("CONTEXTS_PER_VERSION", Math.max(2, cores * 2), 1, 1024);
        maxWarmVersions = reader.integer("MAX_WARM_VERSIONS", 2000, 1, 1_000_000);
        recordRuns = reader.bool("RECORD_RUNS", true);
        migrateOnStart = reader.bool("MIGRATE_ON_START", true);
        schemaPollMs = reader.integer("SCHEMA_POLL_MS", 2000, 50, 600_000);
        heartbeatMs = reader.integer("HEARTBEAT_MS", 3000, 100, 600_000);
        instanceId = reader.string("INSTANCE_ID", defaultInstanceId());
        benchUnguardedRoute = reader.bool("BENCH_UNGUARDED_ROUTE", false);
        statusPort = reader.integer("STATUS_PORT", 8081, 0, 65535);
        embedStatusPage = reader.bool("EMBED_STATUS_PAGE", true);
        webhookAllowHosts = reader.allowList("WEBHOOK_ALLOW_HOSTS");
        valMaxConcurrency = reader.integer("VAL_MAX_CONCURRENCY", 16, 1, 10_000);
        cronPollMs = reader.integer("CRON_POLL_MS", 1000, 50, 600_000);
        cronSyncMs = reader.integer("CRON_SYNC_MS", 5000, 50, 600_000);
        cronMinIntervalSeconds = reader.integer("CRON_MIN_INTERVAL_SECONDS", 60, 1, 86_400);
        logStreamHeartbeatMs = reader.integer("LOG_STREAM_HEARTBEAT_MS", 15_000, 100, 600_000);
        fetchAllow = reader.allowList("VAL_FETCH_ALLOW");
        fetchTimeoutMs = reader.integer("VAL_FETCH_TIMEOUT_MS", 30_000, 100, 15 * 60_000);
        fetchMaxResponseBytes = reader.integer("VAL_FETCH_MAX_BYTES", 10 * 1024 * 1024, 1024, Integer.MAX_VALUE);
        maxResponseBytes = reader.integer("VAL_MAX_RESPONSE_BYTES", 10 * 1024 * 1024, 1024, Integer.MAX_VALUE);
        blobMaxBytes = reader.integer("VAL_BLOB_MAX_MB", 10, 1, 1024) * 1024L * 1024L;
        blobQuotaBytes = reader.integer("VAL_BLOB_QUOTA_MB", 100, 1, 1024 * 1024) * 1024L * 1024L;
        heapHighWaterPct = reader.integer("HEAP_HIGH_WATER_PCT", 85, 1, 99);
        email = email(reader);
        shutdownGraceMs = reader.integer("SHUTDOWN_GRACE_MS", 10_000, 0, 15 * 60_000);
        shutdownDelayMs = reader.integer("SHUTDOWN_DELAY_MS", 5_000, 0, 15 * 60_000);
        rateLimits = new RateLimitSettings(
                reader.integer("API_RATE_PER_TOKEN_PER_MINUTE", 600, 0, 100_000_000),
                reader.integer("API_RATE_PER_ADDRESS_PER_MINUTE", 1200, 0, 100_000_000),
                reader.integer("VAL_RATE_PER_MINUTE", 60_000, 0, 100_000_000));
        edge = edge(reader, valTimeoutMs);
        secretKey = reader.optional("VALENCE_SECRET_KEY");
        secretKeyFile = Path.of(reader.string("VALENCE_SECRET_KEY_FILE", dataDir.resolve("secret.key").toString()));
        valPublicErrors = publicErrors(reader);
        heldWorkMaxPerOwner = reader.integer("HELD_WORK_MAX_PER_OWNER", 100, 1, 1_000_000);
        heldWorkMaxBytesPerOwner = reader.integer("HELD_WORK_MAX_BYTES_PER_OWNER", 64 * 1024 * 1024, 1024, Integer.MAX_VALUE);
        runRetentionDays = reader.integer("RUN_RETENTION_DAYS", 30, 0, 36_500);
        databaseDirectUrl = reader.optional("DATABASE_DIRECT_URL");
        npmRegistryUrl = stripSlash(reader.string("NPM_REGISTRY_URL", "https://registry.npmjs.org"));
        npmMetadataTtlS = reader.integer("NPM_METADATA_TTL_S", 300, 0, 86_400);
        npmRegistryAllow = reader.allowList("NPM_REGISTRY_ALLOW");
    }

    /** Reads the configuration from environment variables (see the README's table). */
    public static Config fromEnv(Map<String, String> env) {
        var reader = new Reader(env);
        var config = new Config(reader, env);
        config.checkTogether(reader.problems);
        reader.failIfInvalid();
        return config;
    }

    /**
     * Every environment variable the runtime reads, in reading order: what a deployment may set.
     * Taken from a reading of an empty environment, so a setting added above is listed without more work.
     */
    public static List<String> names() {
        var reader = new Reader(Map.of());
        new Config(reader, Map.of());
        return List.copyOf(reader.names);
    }

    /** Rules that span settings, or need a parser of their own; run after every setting is read. */
    private void checkTogether(List<String> problems) {
        if (publicUrl.isPresent() && statusPageUrl.isEmpty()) {
            // the default (this machine's status port) would send the 503s' visitors to a page they cannot reach
            problems.add("PUBLIC_URL is set (" + publicUrl.get() + ") but STATUS_PAGE_URL is not: set STATUS_PAGE_URL"
                    + " to the status page's public address (for example https://status.example.com/), the page the 503s link to");
        }
        secretKey.ifPresent(keys -> {
            try {
                SecretKeys.parse(keys, "VALENCE_SECRET_KEY");
            } catch (IllegalArgumentException e) {
                problems.add(e.getMessage());
            }
        });
        databaseUrl.ifPresent(url -> {
            try {
                DatabaseUrl.parse(url);
            } catch (IllegalArgumentException e) {
                problems.add(e.getMessage());
            }
        });
        if (!npmRegistryUrl.matches("https?://[^/?#\\s]+(/[^?#\\s]*)?")) {
            problems.add("NPM_REGISTRY_URL must be an http:// or https:// URL, got '" + npmRegistryUrl + "'");
        }
        databaseDirectUrl.ifPresent(url -> {
            // a pooler sits in front of an external server only; the embedded one is reached directly anyway
            if (databaseUrl.isEmpty()) {
                problems.add("DATABASE_DIRECT_URL is set but DATABASE_URL is not: set DATABASE_URL to the pooler's address"
                        + " (or to the server's, without a pooler) and DATABASE_DIRECT_URL to the server's own");
            }
            try {
                DatabaseUrl.parse(url);
            } catch (IllegalArgumentException e) {
                problems.add(e.getMessage().replace("DATABASE_URL", "DATABASE_DIRECT_URL"));
            }
        });
    }

    /** The address vals are reached at: PUBLIC_URL, or this machine's address on the port actually bound. */
    public String publicUrlFor(int actualPort) {
        return publicUrl.orElse("http://localhost:" + actualPort);
    }

    /**
     * The status page's public address, ending in a slash: STATUS_PAGE_URL, or (PUBLIC_URL unset, which
     * start-up checks) the embedded status page on this machine at the port it actually bound.
     */
    public String statusPageUrlFor(int actualStatusPort) {
        String url = statusPageUrl.orElse("http://localhost:" + actualStatusPort + "/");
        return url.endsWith("/") ? url : url + "/";
    }

    // ---- accessors, in the order of the fields
    public Optional<String> databaseUrl() { return databaseUrl; }
    public Path dataDir() { return dataDir; }
    public int embeddedPostgresPort() { return embeddedPostgresPort; }
    public long embeddedPostgresDownLimitMs() { return embeddedPostgresDownLimitMs; }
    public String bindHost() { return bindHost; }
    public int port() { return port; }
    public Optional<String> publicUrl() { return publicUrl; }
    public Optional<String> valsDomain() { return valsDomain; }
    public Optional<String> statusPageUrl() { return statusPageUrl; }
    public long valTimeoutMs() { return valTimeoutMs; }
    public long valMemoryLimitBytes() { return valMemoryLimitBytes; }
    public long maxBodyBytes() { return maxBodyBytes; }
    public int jsWorkers() { return jsWorkers; }
    public int dbPoolSize() { return dbPoolSize; }
    public long dbConnectTimeoutMs() { return dbConnectTimeoutMs; }
    public int logLimitBytes() { return logLimitBytes; }
    public int contextsPerVersion() { return contextsPerVersion; }
    public int maxWarmVersions() { return maxWarmVersions; }
    public boolean recordRuns() { return recordRuns; }
    public boolean migrateOnStart() { return migrateOnStart; }
    public long schemaPollMs() { return schemaPollMs; }
    public long heartbeatMs() { return heartbeatMs; }
    public String instanceId() { return instanceId; }
    public boolean benchUnguardedRoute() { return benchUnguardedRoute; }
    public int statusPort() { return statusPort; }
    public boolean embedStatusPage() { return embedStatusPage; }
    public AllowList webhookAllowHosts() { return webhookAllowHosts; }
    public int valMaxConcurrency() { return valMaxConcurrency; }
    public long cronPollMs() { return cronPollMs; }
    public long cronSyncMs() { return cronSyncMs; }
    public int cronMinIntervalSeconds() { return cronMinIntervalSeconds; }
    public long logStreamHeartbeatMs() { return logStreamHeartbeatMs; }
    public AllowList fetchAllow() { return fetchAllow; }
    public long fetchTimeoutMs() { return fetchTimeoutMs; }
    public long fetchMaxResponseBytes() { return fetchMaxResponseBytes; }
    public long maxResponseBytes() { return maxResponseBytes; }
    public long blobMaxBytes() { return blobMaxBytes; }
    public long blobQuotaBytes() { return blobQuotaBytes; }
    public int heapHighWaterPct() { return heapHighWaterPct; }
    public EmailSettings email() { return email; }
    public long shutdownGraceMs() { return shutdownGraceMs; }
    public long shutdownDelayMs() { return shutdownDelayMs; }
    public RateLimitSettings rateLimits() { return rateLimits; }
    public EdgeSettings edge() { return edge; }
    public Optional<String> secretKey() { return secretKey; }
    public Path secretKeyFile() { return secretKeyFile; }
    public Val.ErrorDetail valPublicErrors() { return valPublicErrors; }
    public int heldWorkMaxPerOwner() { return heldWorkMaxPerOwner; }
    public long heldWorkMaxBytesPerOwner() { return heldWorkMaxBytesPerOwner; }
    public int runRetentionDays() { return runRetentionDays; }
    public Optional<String> databaseDirectUrl() { return databaseDirectUrl; }
    public String npmRegistryUrl() { return npmRegistryUrl; }
    public int npmMetadataTtlS() { return npmMetadataTtlS; }
    public AllowList npmRegistryAllow() { return npmRegistryAllow; }

    /** SMTP_PORT, MAIL_DOMAIN, EMAIL_MAX_BYTES, SMTP_URL, EMAIL_FROM, EMAIL_ALLOW_ANY_RECIPIENT, EMAIL_SENDS_PER_MINUTE. */
    private static EmailSettings email(Reader reader) {
        String domain = reader.string("MAIL_DOMAIN", "localhost").toLowerCase();
        if (!domain.matches("[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*") || domain.length() > 200) {
            reader.problems.add("MAIL_DOMAIN must be a domain name such as mail.example.com, got '" + domain + "'");
        }
        Optional<SmtpUrl> smtpUrl = Optional.empty();
        try {
            smtpUrl = reader.optional("SMTP_URL").map(SmtpUrl::parse);
        } catch (IllegalArgumentException e) {
            reader.problems.add(e.getMessage());
        }
        Optional<String> from = reader.optional("EMAIL_FROM");
        if (from.isPresent() && !from.get().matches("[^@\\s<>\"]+@[^@\\s<>\"]+")) {
            reader.problems.add("EMAIL_FROM must be a bare address such as vals@example.com, got '" + from.get() + "'");
        }
        return new EmailSettings(
                reader.integer("SMTP_PORT", EmailSettings.OFF, 0, 65535),
                domain,
                reader.integer("EMAIL_MAX_BYTES", (int) EmailSettings.DEFAULT_MAX_BYTES, 1024, 1024 * 1024 * 1024),
                smtpUrl,
                from,
                reader.bool("EMAIL_ALLOW_ANY_RECIPIENT", false),
                reader.integer("EMAIL_SENDS_PER_MINUTE", 100, 1, 1_000_000));
    }

    /**
     * HTTP_IDLE_TIMEOUT_SECONDS, HTTP_HEADER_TIMEOUT_MS, HTTP_BODY_TIMEOUT_MS, MAX_CONCURRENT_UPLOADS,
     * VAL_MAX_RESPONSE_HEADER_BYTES, TRUSTED_PROXIES. The idle timeout's default outlasts the val timeout,
     * so a val that thinks before answering is not cut off as idle.
     */
    private static EdgeSettings edge(Reader reader, long valTimeoutMs) {
        int idleDefault = (int) Math.max(120, valTimeoutMs / 1000 + 30);
        TrustedProxies proxies = TrustedProxies.NONE;
        try {
            proxies = TrustedProxies.parse(reader.optional("TRUSTED_PROXIES").orElse(null), "TRUSTED_PROXIES");
        } catch (IllegalArgumentException e) {
            reader.problems.add(e.getMessage());
        }
        return new EdgeSettings(
                reader.integer("HTTP_IDLE_TIMEOUT_SECONDS", idleDefault, 1, 24 * 3600),
                reader.integer("HTTP_HEADER_TIMEOUT_MS", 10_000, 100, 600_000),
                reader.integer("HTTP_BODY_TIMEOUT_MS", 60_000, 100, 3_600_000),
                reader.integer("MAX_CONCURRENT_UPLOADS", 16, 1, 100_000),
                reader.integer("VAL_MAX_RESPONSE_HEADER_BYTES", 32 * 1024, 1024, 1024 * 1024),
                proxies);
    }

    /** VAL_PUBLIC_ERRORS: what strangers see of a val's error unless the val says otherwise; brief out of the box. */
    private static Val.ErrorDetail publicErrors(Reader reader) {
        String raw = reader.string("VAL_PUBLIC_ERRORS", "brief").toLowerCase();
        return switch (raw) {
            case "brief" -> Val.ErrorDetail.BRIEF;
            case "full" -> Val.ErrorDetail.FULL;
            default -> {
                reader.problems.add("VAL_PUBLIC_ERRORS must be brief or full, got '" + raw + "'");
                yield Val.ErrorDetail.BRIEF;
            }
        };
    }

    private static String defaultInstanceId() {
        return java.util.UUID.randomUUID().toString().substring(0, 8);
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /** Thrown when the environment holds an invalid setting; the message lists every problem. */
    public static final class InvalidConfigException extends RuntimeException {
        InvalidConfigException(List<String> problems) {
            super("Invalid configuration:\n  - " + String.join("\n  - ", problems));
        }
    }

    private static final class Reader {
        private final Map<String, String> env;
        private final List<String> problems = new ArrayList<>();
        private final Set<String> names = new LinkedHashSet<>();

        Reader(Map<String, String> env) {
            this.env = env;
        }

        Optional<String> optional(String name) {
            names.add(name);
            String value = env.get(name);
            return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
        }

        String string(String name, String fallback) {
            return optional(name).orElse(fallback);
        }

        int integer(String name, int fallback, int min, int max) {
            var raw = optional(name);
            if (raw.isEmpty()) return fallback;
            try {
                long value = Long.parseLong(raw.get());
                if (value < min || value > max) {
                    problems.add(name + " must be between " + min + " and " + max + ", got " + raw.get());
                    return fallback;
                }
                return (int) value;
            } catch (NumberFormatException e) {
                problems.add(name + " must be a whole number, got '" + raw.get() + "'");
                return fallback;
            }
        }

        boolean bool(String name, boolean fallback) {
            var raw = optional(name);
            if (raw.isEmpty()) return fallback;
            return switch (raw.get().toLowerCase()) {
                case "true", "1", "yes", "on" -> true;
                case "false", "0", "no", "off" -> false;
                default -> {
                    problems.add(name + " must be true or false, got '" + raw.get() + "'");
                    yield fallback;
                }
            };
        }

        AllowList allowList(String name) {
            names.add(name);
            try {
                return AllowList.parse(env.get(name), name);
            } catch (IllegalArgumentException e) {
                problems.add(e.getMessage());
                return AllowList.parse(null);
            }
        }

        void failIfInvalid() {
            if (!problems.isEmpty()) throw new InvalidConfigException(problems);
        }
    }
}
