package dev.valence.runtime.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

public final class UserStore {
    private static final String COLUMNS = "id, name, role, created_at, email";
    private final Jdbc jdbc;

    public UserStore(DataSource dataSource) {
        this.jdbc = new Jdbc(dataSource);
    }

    /** Creates a user, or returns empty when the name is taken. */
    public Optional<User> create(String name, User.Role role) {
        return create(name, role, null);
    }

    /** Creates a user with an email address (null: none yet), or returns empty when the name is taken. */
    public Optional<User> create(String name, User.Role role, String email) {
        return jdbc.one("INSERT INTO app.users (name, role, email) VALUES (?, ?, ?) ON CONFLICT (name) DO NOTHING RETURNING " + COLUMNS,
                s -> {
                    s.setString(1, name);
                    s.setString(2, role.wire());
                    s.setString(3, email);
                }, UserStore::map);
    }

    public Optional<User> byId(long id) {
        return jdbc.one("SELECT " + COLUMNS + " FROM app.users WHERE id = ?", s -> s.setLong(1, id), UserStore::map);
    }

    /** Sets (or with null clears) the user's email address; returns the user as it is now. */
    public Optional<User> setEmail(long id, String email) {
        return jdbc.one("UPDATE app.users SET email = ? WHERE id = ? RETURNING " + COLUMNS, s -> {
            s.setString(1, email);
            s.setLong(2, id);
        }, UserStore::map);
    }

    public Optional<User> byName(String name) {
        return jdbc.one("SELECT " + COLUMNS + " FROM app.users WHERE name = ?", s -> s.setString(1, name), UserStore::map);
    }

    public List<User> list() {
        return jdbc.list("SELECT " + COLUMNS + " FROM app.users ORDER BY id", s -> {}, UserStore::map);
    }

    public boolean any() {
        return jdbc.one("SELECT 1 FROM app.users LIMIT 1", s -> {}, r -> true).isPresent();
    }

    static User map(ResultSet row) throws SQLException {
        return new User(row.getLong("id"), row.getString("name"), User.Role.fromWire(row.getString("role")),
                row.getTimestamp("created_at").toInstant(), row.getString("email"));
    }
}
