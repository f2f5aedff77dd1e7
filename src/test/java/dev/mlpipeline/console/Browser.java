package dev.mlpipeline.console;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;

import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's Chromium ({@value #CHROMIUM}) driven through its ChromeDriver ({@value #CHROMEDRIVER}):
 * nothing downloads a browser. Without them a test is skipped with a message, unless the environment
 * variable {@code CI} is {@code true}: then a missing browser fails the run.
 */
final class Browser implements AutoCloseable {

    static final String CHROMIUM = "/usr/bin/chromium";
    static final String CHROMEDRIVER = "/usr/bin/chromedriver";
    static final Path SCREENSHOTS = Path.of("target", "console-screenshots");

    final WebDriver driver;
    final WebDriverWait wait;
    private final Path profile;

    private Browser(WebDriver driver, Path profile) {
        this.driver = driver;
        this.profile = profile;
        this.wait = new WebDriverWait(driver, Duration.ofSeconds(30));
        this.wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class);
    }

    /** Skips the calling test (or fails it under CI=true) when Chromium or ChromeDriver is not installed. */
    static void requireChromium() {
        boolean present = new File(CHROMIUM).canExecute() && new File(CHROMEDRIVER).canExecute();
        String message = "Browser tests skipped: " + CHROMIUM + " and " + CHROMEDRIVER
                + " are needed (Debian: apt-get install -y chromium chromium-driver).";
        if (!present && "true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new AssertionError(message.replace("skipped", "cannot run under CI=true"));
        }
        if (!present) {
            System.err.println(message);
        }
        Assumptions.assumeTrue(present, message);
    }

    /** A headless Chromium with a fresh profile, its window {@code width} × {@code height} CSS pixels. */
    static Browser open(int width, int height) {
        requireChromium();
        try {
            Path profile = Files.createTempDirectory("console-chromium-");
            ChromeOptions options = new ChromeOptions();
            options.setBinary(CHROMIUM);
            options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--disable-dev-shm-usage", "--user-data-dir=" + profile, "--window-size=" + width + "," + height);
            ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(CHROMEDRIVER))
                    .usingAnyFreePort().build();
            ChromeDriver driver = new ChromeDriver(service, options);
            driver.manage().window().setSize(new Dimension(width, height));
            return new Browser(driver, profile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Saves a PNG of the viewport as {@code target/console-screenshots/<name>.png}. */
    void screenshot(String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            File png = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
            Files.copy(png.toPath(), SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether the page is wider than the window (a horizontal scroll bar on the whole page). */
    boolean overflowsHorizontally() {
        Object r = ((org.openqa.selenium.JavascriptExecutor) driver)
                .executeScript("return document.documentElement.scrollWidth > window.innerWidth + 1;");
        return Boolean.TRUE.equals(r);
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            try (var files = Files.walk(profile)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // a temporary directory
            }
        }
    }
}
