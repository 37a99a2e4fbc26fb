package dev.valence.runtime.http;

import dev.valence.runtime.store.ValStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The naming rules of owners, vals and environment keys, checked at the edge.
 *
 * <p>A val's host name is {@code {owner}--{val}.{VALS_DOMAIN}}. New names are lowercase letters and
 * digits with single dashes between them, so neither can hold {@code --} nor start or end with a dash:
 * the first {@code --} of a host label is the only place it can split, and no val can claim another
 * owner's host name. The label must fit DNS's 63 characters, so owner + val is at most 61.
 *
 * <p>Names made before this rule ({@code [a-z0-9_-]{1,64}}) stay reachable by path and by the API;
 * they have no host name, and start-up lists them ({@link #outsideHostForm}).
 */
public final class Names {
    /** The longest DNS label (RFC 1035 2.3.4). */
    static final int DNS_LABEL_MAX = 63;
    static final String SEPARATOR = "--";
    /** Owner + val, so that {@code owner--val} fits one DNS label. */
    static final int HOST_FORM_MAX = DNS_LABEL_MAX - SEPARATOR.length();
    /** A user name leaves room for a one-character val. */
    static final int OWNER_MAX = HOST_FORM_MAX - 1;

    private static final Pattern NEW_NAME = Pattern.compile("[a-z0-9](?:-?[a-z0-9])*");
    private static final Pattern EXISTING_NAME = Pattern.compile("[a-z0-9_-]{1,64}");
    private static final Pattern ENV_KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");
    private static final String RULE = "lowercase letters and digits with single '-' between them (no '_', no '--',"
            + " no '-' at either end)";

    /**
     * User names a platform keeps for itself: its own services and host names (a future {@code api.} or
     * {@code status.} under {@code VALS_DOMAIN}), its modules ({@code std/blob}), mail roles (RFC 2142)
     * and names that would pass for the operator. {@code xn} is there because {@code xn--...} is an IDNA
     * label, which browsers decode as punycode and refuse when it is not.
     */
    static final Set<String> RESERVED_OWNERS = Set.of(
            "std", "api", "www", "admin", "administrator", "root", "status", "ops", "app", "apps", "static", "assets",
            "cdn", "docs", "help", "support", "security", "abuse", "postmaster", "hostmaster", "webmaster", "mail",
            "smtp", "valence", "system", "localhost", "null", "undefined", "xn");

    private Names() {}

    /** Whether the name could belong to an existing owner or val: the rule names were made under before the host form. */
    static boolean isValidName(String name) {
        return name != null && EXISTING_NAME.matcher(name).matches();
    }

    /** Whether a name fits the rule for new names (length aside). */
    static boolean isNewName(String name) {
        return name != null && !name.isEmpty() && name.length() <= HOST_FORM_MAX && NEW_NAME.matcher(name).matches();
    }

    /** Whether this val has a host name: both names fit the rule and {@code owner--val} fits one DNS label. */
    public static boolean fitsHostForm(String owner, String val) {
        return isNewName(owner) && isNewName(val) && owner.length() + val.length() <= HOST_FORM_MAX;
    }

    /** The host label of a val: {@code owner--val}. */
    static String hostLabel(String owner, String val) {
        return owner + SEPARATOR + val;
    }

    /** The owner and val a host label names, split at its first {@code --}; empty when it is not a val's label. */
    static Optional<String[]> parseHostLabel(String label) {
        int separator = label.indexOf(SEPARATOR);
        if (separator <= 0) return Optional.empty();
        String owner = label.substring(0, separator);
        String val = label.substring(separator + SEPARATOR.length());
        return fitsHostForm(owner, val) ? Optional.of(new String[] {owner, val}) : Optional.empty();
    }

    /** A new user's name: the rule, at most {@link #OWNER_MAX} characters, not reserved. */
    static String requireNewUserName(String name) {
        if (name == null || name.isEmpty() || name.length() > OWNER_MAX || !NEW_NAME.matcher(name).matches()) {
            throw ApiError.badRequest("'name' must be 1-" + OWNER_MAX + " characters, " + RULE + ", got " + shown(name) + ".");
        }
        if (RESERVED_OWNERS.contains(name)) {
            throw ApiError.badRequest("The user name '" + name + "' is reserved for the platform; choose another one.");
        }
        return name;
    }

    /** A new val's name: the rule, and short enough that {@code owner--val} fits one DNS label. */
    static String requireNewValName(String owner, String name) {
        int room = Math.max(0, HOST_FORM_MAX - owner.length());
        if (name == null || name.isEmpty() || name.length() > room || !NEW_NAME.matcher(name).matches()) {
            throw ApiError.badRequest("'name' must be " + RULE + ", and at most " + room + " characters for the owner '" + owner
                    + "' (owner and val together at most " + HOST_FORM_MAX + ", so that the host name " + owner + SEPARATOR
                    + "{val} fits a " + DNS_LABEL_MAX + "-character DNS label), got " + shown(name) + ".");
        }
        return name;
    }

    /**
     * The users and vals named before the host-form rule that break it: they keep working by path and
     * through the API but have no host name. Users without vals are listed by their name alone.
     */
    public static List<String> outsideHostForm(List<String> users, List<ValStore.Named> vals) {
        var found = new ArrayList<String>();
        for (String user : users) {
            if (!isNewName(user) || user.length() > OWNER_MAX) found.add(user);
        }
        for (ValStore.Named v : vals) {
            if (!fitsHostForm(v.owner(), v.name())) found.add(v.owner() + "/" + v.name());
        }
        return found;
    }

    static String requireEnvKey(String key) {
        if (key == null || !ENV_KEY.matcher(key).matches()) {
            throw ApiError.badRequest("An environment variable name must start with a letter or '_' and hold only"
                    + " letters, digits and '_' (at most 128), got '" + key + "'");
        }
        return key;
    }

    private static String shown(String name) {
        if (name == null) return "nothing";
        return "'" + (name.length() > 80 ? name.substring(0, 80) + "..." : name) + "' (" + name.length() + " characters)";
    }
}
