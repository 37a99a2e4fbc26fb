package dev.valence.status.http;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import org.commonmark.node.Code;
import org.commonmark.node.HardLineBreak;
import org.commonmark.node.Heading;
import org.commonmark.node.HtmlInline;
import org.commonmark.node.Image;
import org.commonmark.node.Link;
import org.commonmark.node.Node;
import org.commonmark.node.SoftLineBreak;
import org.commonmark.node.Text;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.NodeRenderer;
import org.commonmark.renderer.html.DefaultUrlSanitizer;
import org.commonmark.renderer.html.HtmlNodeRendererContext;
import org.commonmark.renderer.html.HtmlRenderer;
import org.commonmark.renderer.text.LineBreakRendering;
import org.commonmark.renderer.text.TextContentNodeRendererContext;
import org.commonmark.renderer.text.TextContentRenderer;

/**
 * Incident update bodies, written in Markdown, as safe HTML (the page and the feeds) and as plain text
 * (notifications). Bodies come from anyone who can post an update, automation included, so they are treated
 * as hostile: raw HTML is escaped, links keep only http, https and mailto, and images never load, so a body
 * cannot run script or make readers fetch someone else's content. Headings become bold paragraphs because a
 * body sits inside an incident's timeline, under the page's own headings.
 *
 * <p>Links, images and headings are drawn by custom node renderers that take those node types over from
 * commonmark's core renderers; everything else is commonmark's standard output.
 */
public final class Markdown {
    private static final Set<String> LINK_SCHEMES = Set.of("http", "https", "mailto");

    // Parser and renderers are immutable once built and safe to share between threads.
    private static final Parser PARSER = Parser.builder().build();
    private static final HtmlRenderer HTML = HtmlRenderer.builder()
            .escapeHtml(true)
            // The custom renderer below draws every URL-bearing node; the restricted sanitizer is a second
            // line for any node type a later commonmark version might render with a URL.
            .sanitizeUrls(true)
            .urlSanitizer(new DefaultUrlSanitizer(LINK_SCHEMES))
            .nodeRendererFactory(SafeHtmlNodes::new)
            .build();
    private static final TextContentRenderer TEXT = TextContentRenderer.builder()
            .lineBreakRendering(LineBreakRendering.SEPARATE_BLOCKS)
            .nodeRendererFactory(PlainTextNodes::new)
            .build();

    private Markdown() {}

    /** HTML for an update body, safe to put inside a page or an HTML feed entry as it is. */
    public static String toSafeHtml(String markdown) {
        return HTML.render(PARSER.parse(Objects.requireNonNull(markdown, "markdown")));
    }

    /**
     * The words of an update body without markup, blocks separated by blank lines, a kept link as
     * {@code text (url)}. Angle brackets the author typed stay as typed: whoever puts this into markup escapes it.
     */
    public static String toPlainText(String markdown) {
        return TEXT.render(PARSER.parse(Objects.requireNonNull(markdown, "markdown")));
    }

    /**
     * Only absolute links whose scheme is on the allowlist are kept. The parser has already decoded entities,
     * and a scheme must match exactly (ignoring case), so no spelling of {@code javascript:} (upper case,
     * entities, a tab inside) gets through. A relative link is dropped too, because the same body is shown on
     * the page, in feeds and in e-mail, where it would point to three different places.
     */
    static boolean isAllowedLink(String destination) {
        int colon = destination.indexOf(':');
        return colon > 0 && LINK_SCHEMES.contains(destination.substring(0, colon).toLowerCase(Locale.ROOT));
    }

    /** The text inside a node, without markup: an image's alt text or a link's words. */
    static String textOf(Node node) {
        var text = new StringBuilder();
        appendText(node, text);
        return text.toString();
    }

    private static void appendText(Node node, StringBuilder text) {
        for (Node child = node.getFirstChild(); child != null; child = child.getNext()) {
            switch (child) {
                case Text t -> text.append(t.getLiteral());
                case Code c -> text.append(c.getLiteral());
                case HtmlInline h -> text.append(h.getLiteral()); // typed tags stay words; the HTML writer escapes them
                case SoftLineBreak _, HardLineBreak _ -> text.append(' ');
                default -> appendText(child, text);
            }
        }
    }

    /** Links with rel="nofollow noopener" (or their words alone), images as alt text, headings as bold paragraphs. */
    private static final class SafeHtmlNodes implements NodeRenderer {
        private final HtmlNodeRendererContext context;

        SafeHtmlNodes(HtmlNodeRendererContext context) {
            this.context = context;
        }

        @Override
        public Set<Class<? extends Node>> getNodeTypes() {
            return Set.of(Link.class, Image.class, Heading.class);
        }

        @Override
        public void render(Node node) {
            var html = context.getWriter();
            switch (node) {
                case Link link when isAllowedLink(link.getDestination()) -> {
                    var attributes = new LinkedHashMap<String, String>();
                    attributes.put("href", context.encodeUrl(link.getDestination()));
                    if (link.getTitle() != null) attributes.put("title", link.getTitle());
                    attributes.put("rel", "nofollow noopener");
                    html.tag("a", context.extendAttributes(link, "a", attributes));
                    renderChildren(link);
                    html.tag("/a");
                }
                case Link link -> renderChildren(link);
                case Image image -> html.text(textOf(image));
                case Heading heading -> {
                    html.line();
                    html.tag("p");
                    html.tag("strong");
                    renderChildren(heading);
                    html.tag("/strong");
                    html.tag("/p");
                    html.line();
                }
                default -> throw new IllegalArgumentException("not a node type this renderer claims: " + node);
            }
        }

        private void renderChildren(Node parent) {
            for (Node child = parent.getFirstChild(); child != null; child = child.getNext()) context.render(child);
        }
    }

    /** Links as "text (url)" when kept and the text is not already the url, images as their alt text. */
    private static final class PlainTextNodes implements NodeRenderer {
        private final TextContentNodeRendererContext context;

        PlainTextNodes(TextContentNodeRendererContext context) {
            this.context = context;
        }

        @Override
        public Set<Class<? extends Node>> getNodeTypes() {
            return Set.of(Link.class, Image.class);
        }

        @Override
        public void render(Node node) {
            var text = context.getWriter();
            String words = textOf(node);
            text.write(words);
            if (node instanceof Link link && isAllowedLink(link.getDestination()) && !words.equals(link.getDestination())) {
                text.write(" (" + link.getDestination() + ")");
            }
        }
    }
}
