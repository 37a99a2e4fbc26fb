package dev.valence.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web editor in a real browser (Debian's chromium through WebDriver) against a real runtime:
 * what an author does, start to end. Screenshots of each page go to target/editor-screenshots/.
 */
class EditorInBrowserTest {
    static TestPlatform platform;
    static String alice;
    static ChromeDriver browser;
    static WebDriverWait wait;

    @BeforeAll
    static void start() {
        platform = TestPlatform.start("editor_browser");
        alice = platform.createUser("alice");
        browser = EditorBrowser.start();
        wait = new WebDriverWait(browser, Duration.ofSeconds(15));
    }

    @AfterAll
    static void stop() {
        if (browser != null) browser.quit();
        platform.close();
    }

    private static WebElement visible(String css) {
        return wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(css)));
    }

    private static void textAppears(String css, String text) {
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(css), text));
    }

    private static void signIn(String token) {
        signIn(token, "alice");
    }

    private static void signIn(String token, String user) {
        browser.get(platform.baseUrl + "/");
        browser.manage().deleteAllCookies();
        browser.navigate().refresh();
        visible("#token").sendKeys(token);
        browser.findElement(By.id("sign-in")).click();
        textAppears("#who", "Signed in as " + user);
    }

    /** Replaces the editor's text by typing, as a person does (Ctrl+A, then the keys). */
    private static void type(String text) {
        WebElement content = visible(".cm-content");
        content.click();
        new Actions(browser).keyDown(Keys.CONTROL).sendKeys("a").keyUp(Keys.CONTROL).sendKeys(Keys.DELETE).perform();
        content.sendKeys(text);
    }

    private static void save() {
        new Actions(browser).keyDown(Keys.CONTROL).sendKeys("s").keyUp(Keys.CONTROL).perform();
    }

    @Test
    void an_author_signs_in_writes_a_val_sees_it_answer_fixes_an_error_restores_a_version_tails_its_logs_and_signs_out() throws Exception {
        browser.get(platform.baseUrl + "/");
        visible("#token");
        EditorBrowser.screenshot(browser, "01-sign-in");
        signIn(alice);
        visible("#new-name");
        EditorBrowser.screenshot(browser, "02-dashboard-empty");

        // create a val from the HTTP template
        browser.findElement(By.id("new-name")).sendKeys("hello");
        browser.findElement(By.id("create")).click();
        wait.until(ExpectedConditions.urlContains("#/val/hello"));
        visible(".cm-content");
        textAppears("#version", "version 1");

        // type code on one line (the editor closes brackets and quotes as they are typed over), save with Ctrl+S
        type("export default (req) => new Response(\"preview says hi to \" + new URL(req.url).searchParams.get(\"n\"))");
        save();
        textAppears("#save-status", "Saved as version 2.");
        String saved = platform.get("/api/v1/vals/alice/hello", alice).json().getString("code");
        String typed = "export default (req) => new Response(\"preview says hi to \" + new URL(req.url).searchParams.get(\"n\"))";
        assertEquals(typed.chars().boxed().toList(), saved.chars().boxed().toList(), saved);
        String valUrl = "http://alice--hello.localhost:" + platform.valence.port() + "/";
        assertEquals(valUrl, browser.findElement(By.id("val-url")).getText());

        // the preview is the val on its own origin
        browser.switchTo().frame("preview");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("body"), "preview says hi to null"));
        browser.switchTo().defaultContent();
        EditorBrowser.screenshot(browser, "03-editor-preview");

        // a syntax error on line 3 is refused and marked on line 3 in the gutter
        type("const a = 1;\nconst b = 2;\nconst = 3;");
        save();
        textAppears("#save-status", "Syntax error at line 3");
        WebElement marker = visible(".cm-gutter-lint .cm-lint-marker-error");
        WebElement markerRow = marker.findElement(By.xpath("./ancestor::div[contains(@class,'cm-gutterElement')]"));
        WebElement lineThree = browser.findElements(By.cssSelector(".cm-lineNumbers .cm-gutterElement")).stream()
                .filter(e -> e.getText().equals("3")).findFirst().orElseThrow();
        assertEquals(lineThree.getRect().getY(), markerRow.getRect().getY(), "the error marker sits on line 3");
        assertEquals(1, browser.findElements(By.cssSelector(".cm-lint-marker-error")).size());
        EditorBrowser.screenshot(browser, "04-syntax-error");
        assertEquals(2, platform.get("/api/v1/vals/alice/hello", alice).json().getInteger("version"), "the refused save made no version");

        // history: the two versions side by side, then restore version 1 as version 3
        browser.get(platform.baseUrl + "/#/val/hello/history");
        visible(".cm-mergeView");
        EditorBrowser.screenshot(browser, "05-history-diff");
        browser.findElement(By.cssSelector("button.restore[data-version='1']")).click();
        textAppears("#history-status", "Version 1 restored as version 3.");
        var restored = platform.get("/api/v1/vals/alice/hello", alice).json();
        assertEquals(3, restored.getInteger("version"));
        assertEquals(platform.get("/api/v1/vals/alice/hello/versions/1", alice).json().getString("code"), restored.getString("code"));
        textAppears("table.versions", "v3");

        // runs: a request's log line reaches the live tail within a second
        browser.get(platform.baseUrl + "/#/val/hello/runs");
        textAppears("#tail-status", "Live:");
        long sent = System.nanoTime();
        assertEquals(200, platform.get("/v/alice/hello?name=live-7").status());
        long answered = System.nanoTime();
        new WebDriverWait(browser, Duration.ofSeconds(5), Duration.ofMillis(10))
                .until(ExpectedConditions.textToBePresentInElementLocated(By.id("tail"), "greeting live-7"));
        long tailMs = (System.nanoTime() - answered) / 1_000_000;
        System.out.println("editor: live tail line appeared " + tailMs + " ms after the val answered (the request took "
                + (answered - sent) / 1_000_000 + " ms)");
        assertTrue(tailMs < 1000, "the log line appeared " + tailMs + " ms after the val answered");
        String runId = visible("#tail li.run-line").getAttribute("data-run");
        browser.findElement(By.id("refresh-runs")).click();
        visible("table.runs tbody button[data-run='" + runId + "']").click();
        textAppears("#run-detail", "greeting live-7");
        EditorBrowser.screenshot(browser, "06-runs-live-tail");

        // sign out: the session ends, the page asks for a token again and stays so after a reload
        browser.findElement(By.id("sign-out")).click();
        visible("#token");
        browser.navigate().refresh();
        visible("#token");
        EditorBrowser.screenshot(browser, "07-signed-out");
    }

    @Test
    void an_author_changes_a_vals_type_in_place_and_a_refused_change_shows_the_servers_sentence() throws Exception {
        platform.createVal(alice, new JsonObject().put("name", "shifty").put("code", "export default (n) => typeof n === 'number' ? n + 1 : new Response('shifty')"));
        signIn(alice);
        browser.get(platform.baseUrl + "/#/val/shifty");
        visible("#preview");
        assertEquals("http", new Select(visible("select#type")).getFirstSelectedOption().getText());
        assertTrue(!browser.findElement(By.id("schedule")).isDisplayed(), "no schedule for an http val");

        // cron without a schedule: refused with the server's sentence, nothing saved
        new Select(browser.findElement(By.id("type"))).selectByValue("cron");
        WebElement schedule = visible("#schedule");
        schedule.clear();
        browser.findElement(By.id("save")).click();
        textAppears("#save-status", "A cron val needs a 'schedule' (a cron expression such as '*/5 * * * *', or an interval such as 'every 5m').");
        EditorBrowser.screenshot(browser, "15-type-change-refused");
        var unchanged = platform.get("/api/v1/vals/alice/shifty", alice).json();
        assertEquals("http", unchanged.getString("type"));
        assertEquals(1, unchanged.getInteger("version"));

        // a script instead: saved with the code, and the page offers Run now instead of the preview
        new Select(browser.findElement(By.id("type"))).selectByValue("script");
        assertTrue(!browser.findElement(By.id("schedule")).isDisplayed(), "the schedule goes away with cron");
        browser.findElement(By.id("save")).click();
        textAppears("#save-status", "Saved as version 2; it is now a script val.");
        visible("#run");
        assertTrue(browser.findElements(By.id("preview")).isEmpty(), "a script has no preview");
        assertEquals("script", new Select(browser.findElement(By.id("type"))).getFirstSelectedOption().getText());
        textAppears("h1 .badge", "script");
        var changed = platform.get("/api/v1/vals/alice/shifty", alice).json();
        assertEquals("script", changed.getString("type"));
        assertEquals(2, changed.getInteger("version"));
        EditorBrowser.screenshot(browser, "16-type-changed");
        WebElement args = visible("#run-input");
        args.clear();
        args.sendKeys("[2]");
        browser.findElement(By.id("run")).click();
        textAppears("#run-status", "Finished: success");
        textAppears("#run-result", "\"result\": 3");
    }

    @Test
    void every_page_loads_on_a_warm_runtime_and_fits_a_phone() throws Exception {
        String job = """
                import { blob } from "https://esm.town/v/std/blob";
                export default async (who) => { await blob.set("greeted/" + who, "yes"); console.log("hi", who); return { who }; };""";
        platform.createVal(alice, new JsonObject().put("name", "job").put("type", "script").put("code", job));
        platform.put("/api/v1/env/API_KEY", alice, "{\"value\":\"s3cret\"}");
        signIn(alice);
        // Run now with arguments, shown on the page
        browser.get(platform.baseUrl + "/#/val/job");
        WebElement args = visible("#run-input");
        args.clear();
        args.sendKeys("[\"ann\"]");
        browser.findElement(By.id("run")).click();
        textAppears("#run-result", "\"who\": \"ann\"");
        EditorBrowser.screenshot(browser, "08-run-now");

        // a save elsewhere meanwhile (the command line, another tab) is not silently undone
        var elsewhere = platform.put("/api/v1/vals/alice/job", alice,
                new JsonObject().put("code", job + "\n// saved elsewhere").encode());
        assertEquals(200, elsewhere.status(), elsewhere.body());
        browser.findElement(By.id("save")).click();
        textAppears("#save-status", "Not saved: version 2 was saved elsewhere after the version 1 you are editing.");
        assertEquals(job + "\n// saved elsewhere", platform.get("/api/v1/vals/alice/job", alice).json().getString("code"));

        var pages = new LinkedHashMap<String, String>();
        pages.put("dashboard", "/#/|table.vals");
        pages.put("editor", "/#/val/job|.cm-content");
        pages.put("history", "/#/val/job/history|table.versions");
        pages.put("runs", "/#/val/job/runs|table.runs tbody tr");
        pages.put("environment", "/#/env|table code");
        pages.put("blobs", "/#/blobs|table button.link");
        var timings = new LinkedHashMap<String, Long>();
        for (int round = 0; round < 3; round++) { // the first round warms the runtime; the last is reported
            for (Map.Entry<String, String> page : pages.entrySet()) {
                String[] parts = page.getValue().split("\\|");
                browser.get(platform.baseUrl + parts[0]);
                visible(parts[1]);
                long start = System.nanoTime();
                browser.navigate().refresh(); // one full load: the page, its bundle, the session and the page's API calls
                visible(parts[1]);
                timings.put(page.getKey(), (System.nanoTime() - start) / 1_000_000);
                // every control has a name a screen reader reads out
                Object unnamed = browser.executeScript("return [...document.querySelectorAll('input, select, textarea, button, [contenteditable=true]')]"
                        + ".filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label') && !e.textContent.trim())"
                        + ".map(e => e.outerHTML.slice(0, 80))");
                assertEquals(java.util.List.of(), unnamed, page.getKey() + ": controls without a name");
            }
        }
        System.out.println("editor: full page loads on a warm runtime (ms): " + timings);
        EditorBrowser.screenshot(browser, "09-blobs");
        browser.findElement(By.cssSelector("table button.link")).click();
        textAppears("#blob-view", "yes");
        browser.get(platform.baseUrl + "/#/env");
        visible("table code");
        assertEquals("API_KEY", browser.findElement(By.cssSelector("table code")).getText());
        assertTrue(!browser.getPageSource().contains("s3cret"), "env values are never shown");
        EditorBrowser.screenshot(browser, "10-environment");

        // search by code
        browser.get(platform.baseUrl + "/#/");
        visible("#search").sendKeys("blob.set");
        textAppears("#search-results", "line 2:");
        EditorBrowser.screenshot(browser, "11-search");

        browser.manage().window().setSize(new Dimension(390, 844));
        browser.get(platform.baseUrl + "/#/");
        visible("table.vals");
        long overflow = (Long) browser.executeScript("return document.documentElement.scrollWidth - document.documentElement.clientWidth;");
        assertEquals(0L, overflow, "the dashboard fits a phone's width without scrolling sideways");
        EditorBrowser.screenshot(browser, "12-phone-dashboard");
        browser.get(platform.baseUrl + "/#/val/job");
        visible(".cm-content");
        EditorBrowser.screenshot(browser, "13-phone-editor");
        browser.manage().window().setSize(new Dimension(1280, 900));

        // only an admin sees the users
        assertTrue(browser.findElements(By.cssSelector("#users-link")).stream().noneMatch(WebElement::isDisplayed));
        signIn(platform.adminToken, "admin");
        visible("#users-link").click();
        textAppears("table.users", "alice");
        EditorBrowser.screenshot(browser, "14-users");
    }
}
