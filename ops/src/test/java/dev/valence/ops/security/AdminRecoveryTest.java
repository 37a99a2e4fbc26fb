package dev.valence.ops.security;

import static dev.valence.ops.OpsTestSupport.dataSource;
import static dev.valence.ops.OpsTestSupport.migratePackaged;
import static dev.valence.ops.OpsTestSupport.newDatabase;
import static dev.valence.ops.OpsTestSupport.query;
import static dev.valence.ops.OpsTestSupport.run;
import static dev.valence.ops.OpsTestSupport.sql;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.valence.ops.ExitCodes;
import dev.valence.runtime.store.TokenStore;
import dev.valence.status.store.TeamTokens;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** An operator with database access gets a locked-out admin or team back in, without the runtime. */
class AdminRecoveryTest {
    private static final Pattern API_TOKEN = Pattern.compile(
            "New API token for user admin \\(token id (\\d+), named 'recovery'\\); it is shown only now:\n(vl_[A-Za-z0-9_-]{43})\n");

    @Test
    void ops_users_token_issues_a_new_token_for_an_admin_with_none_left() {
        String db = newDatabase("recover");
        migratePackaged(db);
        sql(db, "INSERT INTO app.users (name, role) VALUES ('admin', 'admin')");

        var result = run("users", "token", "admin", "--name", "recovery", "--database", db);

        assertEquals("", result.err());
        assertEquals(ExitCodes.OK, result.exit());
        var printed = API_TOKEN.matcher(result.out());
        assertTrue(printed.matches(), result.out());
        var user = new TokenStore(dataSource(db)).authenticate(printed.group(2)).orElseThrow();
        assertEquals("admin", user.name());
        assertEquals("1", query(db, "SELECT count(*) FROM app.api_tokens WHERE id = " + printed.group(1) + " AND name = 'recovery'"));
    }

    @Test
    void ops_users_token_names_the_users_when_the_name_is_unknown() {
        String db = newDatabase("recover");
        migratePackaged(db);
        sql(db, "INSERT INTO app.users (name, role) VALUES ('admin', 'admin'), ('ann', 'user')");

        var result = run("users", "token", "adnim", "--database", db);

        assertEquals(ExitCodes.REFUSED, result.exit());
        assertEquals("error: no user named 'adnim'; the users are: admin (admin), ann. Run again with one of these names.\n", result.err());
        assertEquals("0", query(db, "SELECT count(*) FROM app.api_tokens"));
    }

    @Test
    void ops_team_tokens_create_issues_a_team_token_that_works() {
        String db = newDatabase("recover");
        migratePackaged(db);

        var result = run("team-tokens", "create", "--name", "on-call", "--database", db);

        assertEquals("", result.err());
        assertEquals(ExitCodes.OK, result.exit());
        var printed = Pattern.compile("New team token 'on-call' \\(id (\\d+)\\); it is shown only now:\n(vst_[A-Za-z0-9_-]{43})\n").matcher(result.out());
        assertTrue(printed.matches(), result.out());
        assertEquals("on-call", new TeamTokens(dataSource(db)).authenticate(printed.group(2)).orElseThrow());
    }
}
