package dev.valence.runtime;

import dev.valence.foundation.testing.DebianPackages;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's chromium driven through Debian's chromedriver (WebDriver), for the web editor's browser
 * test. Installs both packages when missing ({@link DebianPackages}): a browser test that skips itself
 * without a browser tests nothing. Selenium is pointed at the installed driver, so it never tries to
 * download one.
 */
final class EditorBrowser {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path DRIVER = Path.of("/usr/bin/chromedriver");

    private EditorBrowser() {}

    static void ensureInstalled() {
        DebianPackages.ensureInstalledWithRecommends(CHROMIUM, "chromium", "chromium-driver");
        DebianPackages.ensureInstalledWithRecommends(DRIVER, "chromium-driver");
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
}
