package dev.valence.cli;

import java.io.IOException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** Checks a token against the server and keeps it, with the URL, in a file only the user can read. */
@Command(name = "login", mixinStandardHelpOptions = true,
        description = {"Sign in with an API token, kept in a file only you can read.",
                "The token is checked against the server and kept, with the URL, in",
                "$XDG_CONFIG_HOME/valence/credentials (~/.config/valence/credentials).",
                "The token is read from VALENCE_TOKEN or standard input (never an argument: those show in ps and shell history)."})
final class LoginCommand implements Runnable {
    @ParentCommand
    Vals parent;

    @Option(names = "--url", defaultValue = Credentials.DEFAULT_URL, description = "the server's address (default: ${DEFAULT-VALUE})")
    String url;

    @Override
    public void run() {
        Session session = parent.session;
        String token = session.env.get("VALENCE_TOKEN");
        if (token == null || token.isBlank()) token = readToken(session);
        var api = new Api(url, token.trim());
        String user;
        try {
            user = api.get("/api/v1/me").path("name").asText();
        } catch (Api.Refusal refusal) {
            if (refusal.status == 401) {
                throw new CliException(ExitCodes.REFUSED, url + " does not accept that token: " + refusal.getMessage().replace(" Sign in again with 'valence vals login'.", "")
                        + " Create one with POST /api/v1/tokens, or use the admin's in ~/.valence/bootstrap-token.");
            }
            throw refusal;
        }
        var credentials = new Credentials(api.baseUrl(), user, token.trim());
        credentials.save(session.env);
        session.out.println("Signed in to " + api.baseUrl() + " as " + user + "; the token is in " + Credentials.file(session.env)
                + " (readable only by you).");
    }

    private static String readToken(Session session) {
        var console = System.console();
        if (console != null && console.isTerminal()) {
            char[] typed = console.readPassword("API token: ");
            if (typed != null && typed.length > 0) return new String(typed);
        } else {
            try {
                String line = session.in.readLine();
                if (line != null && !line.isBlank()) return line;
            } catch (IOException e) {
                throw new CliException(ExitCodes.ENVIRONMENT, "Could not read the token from standard input (" + e.getMessage() + ").", e);
            }
        }
        throw new CliException(ExitCodes.USAGE, "No token given: type it when asked, pipe it in (valence vals login < token-file),"
                + " or set VALENCE_TOKEN.");
    }
}
