package dev.valence.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** Prints where a val is: an HTTP val's URL, else its address in the API; without a val, the server's. */
@Command(name = "open", mixinStandardHelpOptions = true,
        description = {"Print the URL of a val (or of the server).",
                "An HTTP val's own address, another val's address in the API; without VAL, the server's address."})
final class OpenCommand implements Runnable {
    @ParentCommand
    Vals parent;

    @Parameters(arity = "0..1", paramLabel = "VAL", description = "the val, as NAME or OWNER/NAME")
    String val;

    @Mixin
    Format.Option format;

    @Override
    public void run() {
        Session session = parent.session;
        String url;
        if (val == null) {
            url = session.credentials().url();
        } else {
            Session.ValRef ref = session.val(val);
            JsonNode found = session.api().get(ref.path());
            url = found.hasNonNull("url") ? found.path("url").asText() : session.api().baseUrl() + ref.path();
        }
        if (format.format == Format.JSON) session.out.println(Api.object().put("url", url).toString());
        else session.out.println(url);
    }
}
