package dev.valence.runtime.http;

import java.util.regex.Pattern;

/** The naming rules of owners, vals and environment keys, checked at the edge. */
final class Names {
    private static final Pattern NAME = Pattern.compile("[a-z0-9_-]{1,64}");
    private static final Pattern ENV_KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");

    private Names() {}

    static boolean isValidName(String name) {
        return name != null && NAME.matcher(name).matches();
    }

    static String requireName(String what, String name) {
        if (!isValidName(name)) {
            throw ApiError.badRequest(what + " must be 1-64 characters of lowercase letters, digits, '_' or '-', got "
                    + (name == null ? "nothing" : "'" + name + "'"));
        }
        return name;
    }

    static String requireEnvKey(String key) {
        if (key == null || !ENV_KEY.matcher(key).matches()) {
            throw ApiError.badRequest("An environment variable name must start with a letter or '_' and hold only"
                    + " letters, digits and '_' (at most 128), got '" + key + "'");
        }
        return key;
    }
}
