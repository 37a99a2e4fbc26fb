package dev.valence.cli;

import java.io.BufferedReader;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;

/**
 * What every command works with, passed in rather than read from globals so tests run the command line
 * in-process: the environment (credentials location, overrides), the working folder, the streams.
 */
final class Session {
    final Map<String, String> env;
    final Path workingDir;
    final BufferedReader in;
    final PrintWriter out;
    final PrintWriter err;
    private Credentials credentials;
    private Api api;

    Session(Map<String, String> env, Path workingDir, BufferedReader in, PrintWriter out, PrintWriter err) {
        this.env = env;
        this.workingDir = workingDir;
        this.in = in;
        this.out = out;
        this.err = err;
    }

    Credentials credentials() {
        if (credentials == null) credentials = Credentials.load(env);
        return credentials;
    }

    Api api() {
        if (api == null) api = new Api(credentials().url(), credentials().token());
        return api;
    }

    /** The signed-in user's name: saved at login, asked of the server when only VALENCE_TOKEN is set. */
    String user() {
        if (credentials().user() == null) {
            credentials = new Credentials(credentials.url(), api().get("/api/v1/me").path("name").asText(), credentials.token());
        }
        return credentials.user();
    }

    /** A val named as {@code owner/name}, or as {@code name} for one of the caller's own. */
    ValRef val(String reference) {
        int slash = reference.indexOf('/');
        if (slash < 0) return new ValRef(user(), reference);
        if (slash == 0 || slash == reference.length() - 1 || reference.indexOf('/', slash + 1) >= 0) {
            throw new CliException(ExitCodes.USAGE, "'" + reference + "' is not a val: name one as NAME (yours) or OWNER/NAME.");
        }
        return new ValRef(reference.substring(0, slash), reference.substring(slash + 1));
    }

    /** A val's owner and name, and its address in the API. */
    record ValRef(String owner, String name) {
        String path() {
            return "/api/v1/vals/" + Api.encode(owner) + "/" + Api.encode(name);
        }

        @Override
        public String toString() {
            return owner + "/" + name;
        }
    }

    Path folder(Path dir) {
        return dir == null ? workingDir : workingDir.resolve(dir);
    }
}
