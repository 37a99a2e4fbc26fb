package dev.valence.runtime;

import dev.valence.runtime.db.DatabaseUrl;
import dev.valence.runtime.email.EmailSettings;
import dev.valence.runtime.email.SmtpUrl;
import dev.valence.runtime.ratelimit.RateLimitSettings;
import dev.valence.runtime.http.EdgeSettings;
import dev.valence.runtime.http.TrustedProxies;
import dev.valence.runtime.secrets.SecretKeys;
import dev.valence.runtime.store.Val;
import dev.valence.status.webhooks.AllowList;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every setting of the runtime, read once from the environment and validated in one place.
 * Each setting has a default that works on one machine; a bad value stops startup with a message
 * naming the variable, the rule and the value.
 */
public record Config(
        Optional<String> databaseUrl,
        Path dataDir,
        int embeddedPostgresPort,
        long embeddedPostgresDownLimitMs,
        String bindHost,
        int port,
        Optional<String> publicUrl,
        Optional<String> valsDomain,
        Optional<String> statusPageUrl,
        long valTimeoutMs,
        long valMemoryLimitBytes,
        long maxBodyBytes,
        int jsWorkers,
        int dbPoolSize,
        int logLimitBytes,
        int contextsPerVersion,
        int maxWarmVersions,
        boolean recordRuns,
        boolean migrateOnStart,
        long schemaPollMs,
        long heartbeatMs,
        String instanceId,
        boolean benchUnguardedRoute,
        int statusPort,
        boolean embedStatusPage,
        AllowList webhookAllowHosts,
        int valMaxConcurrency,
        long cronPollMs,
        long cronSyncMs,
        int cronMinIntervalSeconds,
        long logStreamHeartbeatMs,
        AllowList fetchAllow,
        long fetchTimeoutMs,
        long fetchMaxResponseBytes,
        long maxResponseBytes,
        long blobMaxBytes,
        long blobQuotaBytes,
        int heapHighWaterPct,
        EmailSettings email,
        long shutdownGraceMs,
        long shutdownDelayMs,
        RateLimitSettings rateLimits,
        EdgeSettings edge,
        Optional<String> secretKey,
        Path secretKeyFile,
        Val.ErrorDetail valPublicErrors,
        int heldWorkMaxPerOwner,
        long heldWorkMaxBytesPerOwner,
        int runRetentionDays,
        String npmRegistryUrl,
        int npmMetadataTtlS) {

    public static final int DEFAULT_PORT = 8080;

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

    /** Reads the configuration from environment variables (see the README's table). */
    public static Config fromEnv(Map<String, String> env) {
        var reader = new Reader(env);
        int port = reader.integer("PORT", DEFAULT_PORT, 0, 65535);
        String bindHost = reader.string("BIND_HOST", "127.0.0.1");
        int cores = Runtime.getRuntime().availableProcessors();
        int valTimeoutMs = reader.integer("VAL_TIMEOUT_MS", 10_000, 10, 15 * 60_000);
        Path dataDir = Path.of(reader.string("VALENCE_DATA_DIR", Path.of(env.getOrDefault("HOME", System.getProperty("user.home")), ".valence").toString()));
        var config = new Config(
                reader.optional("DATABASE_URL"),
                dataDir,
                reader.integer("EMBEDDED_PG_PORT", 0, 0, 65535),
                reader.integer("EMBEDDED_PG_DOWN_LIMIT_MS", 60_000, 1_000, 24 * 3_600_000),
                bindHost,
                port,
                reader.optional("PUBLIC_URL").map(Config::stripSlash),
                // every val gets its own origin out of the box: browsers resolve *.localhost to loopback (RFC 6761)
                Optional.of(reader.string("VALS_DOMAIN", "localhost").toLowerCase()),
                reader.optional("STATUS_PAGE_URL"),
                valTimeoutMs,
                reader.integer("VAL_MEMORY_LIMIT_MB", 256, 1, 64 * 1024) * 1024L * 1024L,
                reader.integer("MAX_BODY_BYTES", 10 * 1024 * 1024, 1024, Integer.MAX_VALUE),
                reader.integer("JS_WORKERS", Math.max(4, cores * 2), 1, 1024),
                reader.integer("DB_POOL_SIZE", 10, 1, 500),
                reader.integer("VAL_LOG_LIMIT_BYTES", 64 * 1024, 0, 16 * 1024 * 1024),
                reader.integer("CONTEXTS_PER_VERSION", Math.max(2, cores * 2), 1, 1024),
                reader.integer("MAX_WARM_VERSIONS", 2000, 1, 1_000_000),
                reader.bool("RECORD_RUNS", true),
                reader.bool("MIGRATE_ON_START", true),
                reader.integer("SCHEMA_POLL_MS", 2000, 50, 600_000),
                reader.integer("HEARTBEAT_MS", 3000, 100, 600_000),
                reader.string("INSTANCE_ID", defaultInstanceId()),
                reader.bool("BENCH_UNGUARDED_ROUTE", false),
                reader.integer("STATUS_PORT", 8081, 0, 65535),
                reader.bool("EMBED_STATUS_PAGE", true),
                reader.allowList("WEBHOOK_ALLOW_HOSTS"),
                reader.integer("VAL_MAX_CONCURRENCY", 16, 1, 10_000),
                reader.integer("CRON_POLL_MS", 1000, 50, 600_000),
                reader.integer("CRON_SYNC_MS", 5000, 50, 600_000),
                reader.integer("CRON_MIN_INTERVAL_SECONDS", 60, 1, 86_400),
                reader.integer("LOG_STREAM_HEARTBEAT_MS", 15_000, 100, 600_000),
                reader.allowList("VAL_FETCH_ALLOW"),
                reader.integer("VAL_FETCH_TIMEOUT_MS", 30_000, 100, 15 * 60_000),
                reader.integer("VAL_FETCH_MAX_BYTES", 10 * 1024 * 1024, 1024, Integer.MAX_VALUE),
                reader.integer("VAL_MAX_RESPONSE_BYTES", 10 * 1024 * 1024, 1024, Integer.MAX_VALUE),
                reader.integer("VAL_BLOB_MAX_MB", 10, 1, 1024) * 1024L * 1024L,
                reader.integer("VAL_BLOB_QUOTA_MB", 100, 1, 1024 * 1024) * 1024L * 1024L,
                reader.integer("HEAP_HIGH_WATER_PCT", 85, 1, 99),
                email(reader),
                reader.integer("SHUTDOWN_GRACE_MS", 10_000, 0, 15 * 60_000),
                reader.integer("SHUTDOWN_DELAY_MS", 5_000, 0, 15 * 60_000),
                new RateLimitSettings(
                        reader.integer("API_RATE_PER_TOKEN_PER_MINUTE", 600, 0, 100_000_000),
                        reader.integer("API_RATE_PER_ADDRESS_PER_MINUTE", 1200, 0, 100_000_000),
                        reader.integer("VAL_RATE_PER_MINUTE", 60_000, 0, 100_000_000)),
                edge(reader, valTimeoutMs),
                reader.optional("VALENCE_SECRET_KEY"),
                Path.of(reader.string("VALENCE_SECRET_KEY_FILE", dataDir.resolve("secret.key").toString())),
                publicErrors(reader),
                reader.integer("HELD_WORK_MAX_PER_OWNER", 100, 1, 1_000_000),
                reader.integer("HELD_WORK_MAX_BYTES_PER_OWNER", 64 * 1024 * 1024, 1024, Integer.MAX_VALUE),
                reader.integer("RUN_RETENTION_DAYS", 30, 0, 36_500),
                stripSlash(reader.string("NPM_REGISTRY_URL", "https://registry.npmjs.org")),
                reader.integer("NPM_METADATA_TTL_S", 300, 0, 86_400));
        if (!config.npmRegistryUrl().matches("https?://[^/?#\\s]+(/[^?#\\s]*)?")) {
            reader.problems.add("NPM_REGISTRY_URL must be an http:// or https:// URL, got '" + config.npmRegistryUrl() + "'");
        }
        if (config.publicUrl().isPresent() && config.statusPageUrl().isEmpty()) {
            // the default (this machine's status port) would send the 503s' visitors to a page they cannot reach
            reader.problems.add("PUBLIC_URL is set (" + config.publicUrl().get() + ") but STATUS_PAGE_URL is not: set STATUS_PAGE_URL"
                    + " to the status page's public address (for example https://status.example.com/), the page the 503s link to");
        }
        config.secretKey().ifPresent(keys -> {
            try {
                SecretKeys.parse(keys, "VALENCE_SECRET_KEY");
            } catch (IllegalArgumentException e) {
                reader.problems.add(e.getMessage());
            }
        });
        config.databaseUrl().ifPresent(url -> {
            try {
                DatabaseUrl.parse(url);
            } catch (IllegalArgumentException e) {
                reader.problems.add(e.getMessage());
            }
        });
        reader.failIfInvalid();
        return config;
    }

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

        Reader(Map<String, String> env) {
            this.env = env;
        }

        Optional<String> optional(String name) {
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
