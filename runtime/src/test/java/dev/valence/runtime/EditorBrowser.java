package dev.valence.runtime;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's chromium driven through Debian's chromedriver (WebDriver), for the web editor's browser
 * test. Installs both packages when missing, as {@link HeadlessChromium} installs the browser: a
 * browser test that skips itself without a browser tests nothing. Selenium is pointed at the
 * installed driver, so it never tries to download one.
 */
final class EditorBrowser {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path DRIVER = Path.of("/usr/bin/chromedriver");

    private EditorBrowser() {}

    static synchronized void ensureInstalled() {
        if (Files.isExecutable(CHROMIUM) && Files.isExecutable(DRIVER)) return;
        run(List.of("apt-get", "update"), 300);
        run(List.of("apt-get", "install", "-y", "chromium", "chromium-driver"), 900);
        if (!Files.isExecutable(DRIVER)) fail("apt-get install -y chromium-driver finished but " + DRIVER + " is still missing");
    }

    static ChromeDriver start() {
        ensureInstalled();
        var options = new ChromeOptions().setBinary(CHROMIUM.toFile())
                .addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                        "--disable-background-networking", "--disable-component-update", "--disable-sync", "--window-size=1280,900");
        var service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile()).usingAnyFreePort().build();
        var driver = new ChromeDriver(service, options);
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(10));
        return driver;
    }

    /** Writes what the browser shows to target/editor-screenshots/{name}.png. */
    static Path screenshot(ChromeDriver driver, String name) throws IOException {
        Path png = Path.of("target", "editor-screenshots", name + ".png");
        Files.createDirectories(png.getParent());
        Files.write(png, driver.getScreenshotAs(OutputType.BYTES));
        return png;
    }

    private static void run(List<String> command, long timeoutSeconds) {
        try {
            Path output = Files.createTempFile("valence-cmd-", ".log");
            try {
                var builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
                builder.environment().put("DEBIAN_FRONTEND", "noninteractive");
                Process process = builder.start();
                if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                    process.descendants().forEach(ProcessHandle::destroyForcibly);
                    process.destroyForcibly();
                    fail(String.join(" ", command) + " did not finish within " + timeoutSeconds + " s and was killed");
                }
                if (process.exitValue() != 0) {
                    String text = Files.readString(output);
                    fail(String.join(" ", command) + " exited with " + process.exitValue() + "; output: "
                            + (text.length() > 2000 ? "..." + text.substring(text.length() - 2000) : text));
                }
            } finally {
                Files.deleteIfExists(output);
            }
        } catch (IOException e) {
            fail("cannot run " + String.join(" ", command) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail("interrupted while running " + String.join(" ", command), e);
        }
    }
}
