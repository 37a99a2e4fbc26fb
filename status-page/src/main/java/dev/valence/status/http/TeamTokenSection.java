package dev.valence.status.http;

import dev.valence.foundation.html.HtmlEscape;
import dev.valence.status.store.TeamTokens;
import java.util.List;

/** The deploy view's list of team tokens with their rotate and revoke forms, and the sentences both token surfaces share. */
final class TeamTokenSection {
    private TeamTokenSection() {}

    /** @param signedInWith the token this browser is signed in with, marked so nobody revokes it by surprise */
    static String render(List<TeamTokens.Info> tokens, long signedInWith, String csrfField) {
        var html = new StringBuilder("<h2>Team tokens</h2><table><thead><tr><th scope=\"col\">Id</th><th scope=\"col\">Name</th>"
                + "<th scope=\"col\">Starts with</th><th scope=\"col\">Created</th><th scope=\"col\">Last used</th><th scope=\"col\"></th></tr></thead><tbody>");
        for (TeamTokens.Info t : tokens) {
            html.append("<tr").append(t.revokedAt() == null ? "" : " class=\"gone\"").append("><td>").append(t.id()).append("</td><td>")
                    .append(HtmlEscape.escape(t.name())).append("</td><td><code>").append(HtmlEscape.escape(t.prefix())).append("…</code></td><td>")
                    .append(t.createdAt()).append("</td><td>").append(t.lastUsedAt() == null ? "never" : t.lastUsedAt().toString()).append("</td><td>");
            if (t.revokedAt() != null) html.append("revoked ").append(t.revokedAt());
            else {
                if (t.id() == signedInWith) html.append("(this browser) ");
                html.append(button("/ops/team-tokens/" + t.id() + "/rotate", "Rotate", csrfField))
                        .append(button("/ops/team-tokens/" + t.id() + "/revoke", "Revoke", csrfField));
            }
            html.append("</td></tr>");
        }
        html.append("</tbody></table><form method=\"post\" action=\"/ops/team-tokens\">").append(csrfField)
                .append("<label for=\"token-name\">New team token's name</label><input id=\"token-name\" name=\"name\" maxlength=\"100\" required>")
                .append("<button type=\"submit\">Create team token</button></form>");
        return html.toString();
    }

    static String lastActive(long id) {
        return "Team token " + id + " is the last active one; revoking it would lock the team out. Rotate it instead (POST /api/v2/team-tokens/"
                + id + "/rotate), or create another first.";
    }

    private static String button(String action, String label, String csrfField) {
        return "<form method=\"post\" action=\"" + action + "\">" + csrfField + "<button type=\"submit\">" + label + "</button></form>";
    }
}
