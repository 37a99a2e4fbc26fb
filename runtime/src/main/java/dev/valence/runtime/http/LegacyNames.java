package dev.valence.runtime.http;

import dev.valence.runtime.store.User;
import dev.valence.runtime.store.UserStore;
import dev.valence.runtime.store.ValStore;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Start-up's one warning about names made before the host-form rule: they keep working by path and
 * through the API, but have no host name of their own, so their owners should know (and may re-create
 * the val under a name that fits).
 */
public final class LegacyNames {
    private static final Logger log = LoggerFactory.getLogger(LegacyNames.class);

    private LegacyNames() {}

    /** Logs one WARN listing the users and vals whose names break the rule; nothing when there are none. */
    public static List<String> warnIfAny(UserStore users, ValStore vals) {
        List<String> found = Names.outsideHostForm(users.list().stream().map(User::name).toList(), vals.allNames());
        if (!found.isEmpty()) {
            log.warn("{} name(s) predate the naming rule (lowercase letters and digits with single '-' between them, owner + val at most {}"
                    + " characters) and have no host name {owner}--{val}.VALS_DOMAIN; they stay reachable at /v/{owner}/{val} and through"
                    + " the API. To give a val a host name, create it again under a name that fits: {}",
                    found.size(), Names.HOST_FORM_MAX, String.join(", ", found));
        }
        return found;
    }
}
