package io.parametric.cli;

import static io.parametric.manager.ParametricProcesses.newJob;
import static io.parametric.manager.ParametricProcesses.processes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.parametric.manager.JobFuture;
import io.parametric.manager.ProcessManager;
import io.parametric.shared.testing.TestRedis;
import io.parametric.shared.testing.UsesTestRedis;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The dashboard in a real browser: Debian's headless Chromium driven by Selenium through
 * {@code /usr/bin/chromedriver} (nothing is downloaded), against a live fleet of worker JVMs.
 * Saves {@code target/dashboard.png}.
 */
@ExtendWith(UsesTestRedis.class)
class DashboardBrowserIT {

    private static final File CHROMIUM = new File("/usr/bin/chromium");
    private static final File CHROMEDRIVER = new File("/usr/bin/chromedriver");
    private static final String TOKEN = "test-token-0123456789abcdef";

    @Test
    void showsTheWorkersAndAFailureAndRefusesAnActionWithoutTheToken(@TempDir Path profile) throws Exception {
        // profile: Chromium's user data folder, deleted by JUnit after the browser quit
        requireBrowser();
        String fleetName = TestRedis.uniqueFleet("dashboard");
        System.setProperty("pp.fleet", fleetName);
        try (ProcessManager procs = processes(3, io.parametric.shared.Threaded.class, "render-1", "render-2", "render-3");
             Session session = TestSessions.open(fleetName);
             DashboardServer server = new DashboardServer(session, "127.0.0.1", 0, TOKEN)) {
            System.clearProperty("pp.fleet");
            WebDriver browser = chromium(profile);
            try {
                browser.get(server.address().toString());
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(text(browser, "#workers"))
                        .contains("render-1").contains("render-2").contains("render-3"));

                JobFuture<Object> failing = procs.submit(procs.workerPids().get(1), newJob(() -> {
                    throw new IllegalStateException("disk full on the render farm");
                }));
                List<Long> pids = procs.workerPids();
                for (int i = 0; i < 30; i++) {
                    procs.submit(pids.get(i % 3), newJob(() -> {
                        Thread.sleep(150);
                        return 1;
                    }));
                }
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(text(browser, "#failures"))
                        .contains(failing.jobId())
                        .contains("JOB_FAILED java.lang.IllegalStateException: disk full on the render farm"));
                browser.findElement(By.cssSelector("#failures details summary")).click();
                assertThat(text(browser, "#failures")).contains("at io.parametric.cli.DashboardBrowserIT");
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(text(browser, "#workers")).contains("busy"));

                Object refused = ((JavascriptExecutor) browser).executeAsyncScript(
                        "const done = arguments[arguments.length - 1];"
                                + "fetch('/api/actions/requeue', {method: 'POST'}).then(r => done(r.status));");
                assertThat(((Number) refused).intValue()).isEqualTo(403);
                browser.findElement(By.id("requeue")).click();
                await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                        assertThat(text(browser, "#action-result")).startsWith("refused (403)"));

                Path shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
                Files.copy(shot, Path.of("target", "dashboard.png"), StandardCopyOption.REPLACE_EXISTING);
                procs.waitFor(Duration.ofSeconds(60));
            } finally {
                browser.quit();
            }
        } finally {
            System.clearProperty("pp.fleet");
        }
    }

    private static WebDriver chromium(Path profile) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--user-data-dir=" + profile, "--window-size=1280,1100");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER).build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().window().setSize(new Dimension(1280, 1100));
        return driver;
    }

    private static String text(WebDriver browser, String css) {
        return browser.findElement(By.cssSelector(css)).getText();
    }

    /** Skips (loudly) on a developer machine without the browser; CI installs it, and there it must be present. */
    private static void requireBrowser() {
        boolean present = CHROMIUM.canExecute() && CHROMEDRIVER.canExecute();
        if (!present && "true".equals(System.getenv("CI"))) {
            throw new IllegalStateException("CI must have /usr/bin/chromium and /usr/bin/chromedriver (.ci/run installs them)");
        }
        Assumptions.assumeTrue(present, "SKIPPED: the dashboard's browser test needs Debian's chromium and chromium-driver"
                + " (apt-get install -y chromium chromium-driver)");
    }
}
