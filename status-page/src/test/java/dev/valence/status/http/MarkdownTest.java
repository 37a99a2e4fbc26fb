package dev.valence.status.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class MarkdownTest {

    // The subset an update body may use.

    @Test
    void a_plain_line_is_one_paragraph() {
        assertEquals("<p>We are investigating.</p>\n", Markdown.toSafeHtml("We are investigating."));
    }

    @Test
    void blank_lines_separate_paragraphs() {
        assertEquals("<p>First.</p>\n<p>Second.</p>\n", Markdown.toSafeHtml("First.\n\nSecond."));
    }

    @Test
    void emphasis_and_strong_become_em_and_strong() {
        assertEquals("<p><em>slow</em> and <strong>down</strong></p>\n", Markdown.toSafeHtml("*slow* and **down**"));
    }

    @Test
    void inline_code_is_code_with_its_markup_escaped() {
        assertEquals("<p>run <code>kill -HUP &lt;pid&gt;</code></p>\n", Markdown.toSafeHtml("run `kill -HUP <pid>`"));
    }

    @Test
    void fenced_code_keeps_its_language_as_a_class() {
        assertEquals("<pre><code class=\"language-sql\">SELECT 1 &lt; 2;\n</code></pre>\n",
                Markdown.toSafeHtml("```sql\nSELECT 1 < 2;\n```"));
    }

    @Test
    void indented_code_is_a_code_block() {
        assertEquals("<pre><code>retry &amp;&amp; exit\n</code></pre>\n", Markdown.toSafeHtml("    retry && exit"));
    }

    @Test
    void bullet_lists_become_ul() {
        assertEquals("<ul>\n<li>api</li>\n<li>web</li>\n</ul>\n", Markdown.toSafeHtml("- api\n- web"));
    }

    @Test
    void ordered_lists_keep_their_start_number() {
        assertEquals("<ol start=\"3\">\n<li>drain</li>\n<li>restart</li>\n</ol>\n", Markdown.toSafeHtml("3. drain\n4. restart"));
    }

    @Test
    void http_links_get_rel_nofollow_noopener() {
        assertEquals("<p><a href=\"https://example.com/a?b=1&amp;c=2\" rel=\"nofollow noopener\">details</a></p>\n",
                Markdown.toSafeHtml("[details](https://example.com/a?b=1&c=2)"));
    }

    @Test
    void link_titles_are_kept() {
        assertEquals("<p><a href=\"http://example.com\" title=\"Post-mortem\" rel=\"nofollow noopener\">read</a></p>\n",
                Markdown.toSafeHtml("[read](http://example.com \"Post-mortem\")"));
    }

    @Test
    void mailto_links_are_kept() {
        assertEquals("<p><a href=\"mailto:ops@example.com\" rel=\"nofollow noopener\">mail us</a></p>\n",
                Markdown.toSafeHtml("[mail us](mailto:ops@example.com)"));
    }

    @Test
    void autolinks_are_links() {
        assertEquals("<p>see <a href=\"https://example.com\" rel=\"nofollow noopener\">https://example.com</a></p>\n",
                Markdown.toSafeHtml("see <https://example.com>"));
    }

    @Test
    void relative_links_keep_only_their_text() {
        assertEquals("<p>see history</p>\n", Markdown.toSafeHtml("see [history](/history)"));
    }

    @Test
    void a_soft_line_break_stays_a_newline() {
        assertEquals("<p>one\ntwo</p>\n", Markdown.toSafeHtml("one\ntwo"));
    }

    @Test
    void two_trailing_spaces_make_a_br() {
        assertEquals("<p>one<br />\ntwo</p>\n", Markdown.toSafeHtml("one  \ntwo"));
    }

    @Test
    void headings_become_bold_paragraphs() {
        assertEquals("<p><strong>Root cause</strong></p>\n<p><strong><em>Next</em> steps</strong></p>\n",
                Markdown.toSafeHtml("# Root cause\n\n## *Next* steps"));
    }

    // Hostile bodies.

    @Test
    void script_tags_are_escaped() {
        assertEquals("<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>\n", Markdown.toSafeHtml("<script>alert(1)</script>"));
    }

    @Test
    void img_tags_with_handlers_are_escaped() {
        assertEquals("<p>&lt;img src=x onerror=alert(1)&gt;</p>\n", Markdown.toSafeHtml("<img src=x onerror=alert(1)>"));
    }

    @Test
    void inline_html_inside_text_is_escaped() {
        assertEquals("<p>a &lt;b onclick=alert(1)&gt;bold&lt;/b&gt; move</p>\n",
                Markdown.toSafeHtml("a <b onclick=alert(1)>bold</b> move"));
    }

    @Test
    void javascript_links_keep_only_their_text() {
        assertEquals("<p>x</p>\n", Markdown.toSafeHtml("[x](javascript:alert(1))"));
    }

    @Test
    void upper_case_javascript_links_keep_only_their_text() {
        assertEquals("<p>x</p>\n", Markdown.toSafeHtml("[x](JAVASCRIPT:alert(1))"));
    }

    @Test
    void javascript_links_after_spaces_keep_only_their_text() {
        assertEquals("<p>x</p>\n", Markdown.toSafeHtml("[x](  javascript:alert(1))"));
    }

    @Test
    void javascript_links_hidden_in_entities_keep_only_their_text() {
        assertEquals("<p>x</p>\n", Markdown.toSafeHtml("[x](&#106;avascript&#58;alert(1))"));
    }

    @Test
    void javascript_links_split_by_a_tab_keep_only_their_text() {
        assertEquals("<p>x</p>\n", Markdown.toSafeHtml("[x](java&#9;script:alert(1))"));
    }

    @Test
    void javascript_autolinks_are_plain_text() {
        assertEquals("<p>javascript:alert(1)</p>\n", Markdown.toSafeHtml("<javascript:alert(1)>"));
    }

    @Test
    void data_and_vbscript_links_keep_only_their_text() {
        assertEquals("<p>a b</p>\n",
                Markdown.toSafeHtml("[a](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==) [b](vbscript:msgbox(1))"));
    }

    @Test
    void images_show_only_their_alt_text() {
        assertEquals("<p>x</p>\n", Markdown.toSafeHtml("![x](http://evil/img.png)"));
    }

    @Test
    void image_alt_text_is_escaped_and_loses_its_markup() {
        assertEquals("<p>graph of &lt;errors&gt; rising</p>\n",
                Markdown.toSafeHtml("![graph of <errors> *rising*](http://evil/img.png)"));
    }

    @Test
    void attribute_breakers_in_text_are_escaped() {
        assertEquals("<p>&quot;&gt;&lt;svg onload=alert(1)&gt;</p>\n", Markdown.toSafeHtml("\"><svg onload=alert(1)>"));
    }

    @Test
    void html_entities_are_decoded_and_escaped_again() {
        assertEquals("<p>&lt;script&gt; &amp; &lt;b&gt; ©</p>\n", Markdown.toSafeHtml("&lt;script&gt; &amp; &#60;b&#62; &copy;"));
    }

    @Test
    void a_quote_in_a_link_title_cannot_leave_the_attribute() {
        assertEquals("<p><a href=\"https://example.com\" title=\"a&quot; onmouseover=&quot;alert(1)\" rel=\"nofollow noopener\">x</a></p>\n",
                Markdown.toSafeHtml("[x](https://example.com 'a\" onmouseover=\"alert(1)')"));
    }

    @Test
    void a_quote_in_a_link_url_cannot_leave_the_attribute() {
        assertEquals("<p><a href=\"https://example.com/&quot;onmouseover=&quot;alert(1)\" rel=\"nofollow noopener\">x</a></p>\n",
                Markdown.toSafeHtml("[x](https://example.com/\"onmouseover=\"alert(1))"));
    }

    @Test
    void a_quote_in_a_code_language_cannot_leave_the_attribute() {
        assertEquals("<pre><code class=\"language-js&quot;&gt;&lt;script&gt;\">1\n</code></pre>\n",
                Markdown.toSafeHtml("```js\"><script>\n1\n```"));
    }

    @Test
    void html_inside_link_text_is_escaped() {
        assertEquals("<p><a href=\"https://example.com\" rel=\"nofollow noopener\">&lt;b&gt;x&lt;/b&gt;</a></p>\n",
                Markdown.toSafeHtml("[<b>x</b>](https://example.com)"));
    }

    // Plain text for notifications.

    @Test
    void plain_text_drops_emphasis_and_keeps_the_words() {
        assertEquals("We are still investigating", Markdown.toPlainText("We are *still* investigating"));
    }

    @Test
    void plain_text_separates_blocks_with_blank_lines() {
        assertEquals("Root cause\n\nA bad deploy.\n\n- api\n- web", Markdown.toPlainText("# Root cause\n\nA bad deploy.\n\n- api\n- web"));
    }

    @Test
    void plain_text_shows_a_kept_link_as_text_and_url() {
        assertEquals("see details (https://example.com/x)", Markdown.toPlainText("see [details](https://example.com/x \"T\")"));
    }

    @Test
    void plain_text_shows_an_autolink_once() {
        assertEquals("see https://example.com", Markdown.toPlainText("see <https://example.com>"));
    }

    @Test
    void plain_text_drops_the_url_of_a_javascript_link() {
        assertEquals("x", Markdown.toPlainText("[x](javascript:alert(1))"));
    }

    @Test
    void plain_text_shows_an_image_as_its_alt_text() {
        assertEquals("graph", Markdown.toPlainText("![graph](http://evil/img.png)"));
    }

    @Test
    void plain_text_keeps_typed_angle_brackets_as_text() {
        assertEquals("<script>alert(1)</script>", Markdown.toPlainText("<script>alert(1)</script>"));
    }

    @Test
    void plain_text_decodes_entities() {
        assertEquals("a & b < c", Markdown.toPlainText("a &amp; b &lt; c"));
    }

    @Test
    void a_missing_body_is_refused() {
        var e = assertThrows(NullPointerException.class, () -> Markdown.toSafeHtml(null));
        assertEquals("markdown", e.getMessage());
    }
}
