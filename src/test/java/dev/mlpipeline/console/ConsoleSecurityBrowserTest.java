package dev.mlpipeline.console;

import java.net.URL;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;

import dev.mlpipeline.ApiFixtures;
import dev.mlpipeline.security.SecurityFixtures;
import dev.mlpipeline.security.SecurityOnProfile;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The console with security on, in a real browser (Debian's Chromium, see {@link Browser}): a page
 * sends the browser to the sign-in page, a wrong token is refused there, a {@code viewer} token shows
 * the registry and a version page with no deploy button (and no upload or train form), signing out
 * ends the session, and a {@code deployer} token finds the deploy button and deploys. Screenshots:
 * {@code 11-sign-in.png}, {@code 12-viewer-version.png}, {@code 13-deployer-version.png}.
 */
@QuarkusTest
@TestProfile(SecurityOnProfile.class)
class ConsoleSecurityBrowserTest {

    @TestHTTPResource("/")
    URL base;

    String url(String path) {
        return base.toString().replaceAll("/$", "") + path;
    }

    @AfterEach
    void undeploy() {
        ConsoleSignInTest.asAdmin(() -> {
            ApiFixtures.undeploy();
            return null;
        });
    }

    static void signIn(Browser b, String token) {
        b.driver.findElement(By.id("token")).clear();
        b.driver.findElement(By.id("token")).sendKeys(token);
        b.driver.findElement(By.id("sign-in-button")).click();
    }

    static boolean present(WebDriver d, String id) {
        return !d.findElements(By.id(id)).isEmpty();
    }

    @Test
    void aViewerFindsNoDeployButtonAndADeployerDoes() {
        Browser.requireChromium();
        String[] trained = ConsoleSignInTest.trainedVersion();
        String versionPage = "/console/models/DecisionTree/versions/1?dataset_id=" + trained[0];
        String viewerName = "browser-viewer-" + UUID.randomUUID().toString().substring(0, 8);
        String viewer = SecurityFixtures.token(viewerName, "viewer");
        String deployerName = "browser-deployer-" + UUID.randomUUID().toString().substring(0, 8);
        String deployer = SecurityFixtures.token(deployerName, "deployer");
        try (Browser b = Browser.open(1280, 900)) {
            WebDriver d = b.driver;
            // no session: the version page sends the browser to the sign-in page
            d.get(url(versionPage));
            b.wait.until(ExpectedConditions.urlContains("/console/sign-in?next="));
            signIn(b, "mlp_wrongtoken0123456789");
            b.wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("sign-in-error")));
            assertTrue(d.getCurrentUrl().contains("/console/sign-in"));
            b.screenshot("11-sign-in");

            // a viewer: back on the version page, signed in, and no action offered
            signIn(b, viewer);
            b.wait.until(ExpectedConditions.urlContains("/console/models/DecisionTree/versions/1"));
            b.wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("signed-in"), viewerName));
            assertTrue(d.findElement(By.tagName("main")).getText().contains(trained[1]), "the version's lineage");
            assertFalse(present(d, "deploy-button"), "a viewer is offered no deploy button");
            b.screenshot("12-viewer-version");
            d.get(url("/?dataset_id=" + trained[0]));
            assertTrue(d.findElement(By.id("entry-" + trained[0] + "-DecisionTree")).getText().contains("v1"));
            assertTrue(d.findElements(By.linkText("Train")).isEmpty(), "no Train link in the navigation");
            d.get(url("/console/datasets"));
            assertFalse(present(d, "upload-form"), "a viewer is offered no upload form");
            d.get(url("/console/train?dataset_id=" + trained[0]));
            assertFalse(present(d, "submit-job"), "a viewer is offered no train form");
            assertTrue(d.findElements(By.cssSelector("form#job-form")).isEmpty());
            d.get(url("/console/deployments"));
            assertFalse(present(d, "deploy-form") || present(d, "rollback-button") || present(d, "undeploy-button"));

            // signing out ends the session
            d.findElement(By.id("sign-out-button")).click();
            b.wait.until(ExpectedConditions.urlContains("/console/sign-in"));
            d.get(url(versionPage));
            b.wait.until(ExpectedConditions.urlContains("/console/sign-in?next="));

            // a deployer: the deploy button, and it deploys
            signIn(b, deployer);
            b.wait.until(ExpectedConditions.urlContains("/console/models/DecisionTree/versions/1"));
            b.wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("signed-in"), deployerName));
            d.findElement(By.id("deploy-button")).click();
            b.wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("action-result"), "is deployed"));
            b.screenshot("13-deployer-version");
            SecurityFixtures.as(SecurityOnProfile.BOOTSTRAP).get("/api/deployments/active").then().statusCode(200)
                    .body("job_id", equalTo(trained[1]), "deployed_by", equalTo(deployerName));
        }
    }
}
