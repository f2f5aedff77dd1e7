package dev.mlpipeline.console;

import java.net.URL;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import dev.mlpipeline.ApiFixtures;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole life of a model in a real browser (Debian's Chromium, see {@link Browser}): upload
 * titanic.csv, train a RandomForest and watch the server push its progress to 100 %, find v1 in the
 * registry tree, deploy it, predict one passenger from the generated form and read the label and
 * probabilities, and find the deployment in the history. Screenshots of every page, at 1280 and at
 * 390 px wide, go to {@code target/console-screenshots/}.
 */
@QuarkusTest
class ConsoleBrowserTest {

    @TestHTTPResource("/")
    URL base;

    @AfterEach
    void undeploy() {
        ApiFixtures.undeploy();
    }

    String url(String path) {
        return base.toString().replaceAll("/$", "") + path;
    }

    @Test
    void theWholeLifeOfAModel() {
        try (Browser b = Browser.open(1280, 900)) {
            var d = b.driver;
            // upload, with the progress bar
            d.get(url("/console/datasets"));
            String name = "titanic-" + UUID.randomUUID().toString().substring(0, 8);
            d.findElement(By.id("file")).sendKeys(Path.of("samples/titanic.csv").toAbsolutePath().toString());
            d.findElement(By.id("name")).sendKeys(name);
            b.screenshot("01-datasets");
            d.findElement(By.cssSelector("#upload-form button[type=submit]")).click();
            b.wait.until(ExpectedConditions.urlMatches("/console/datasets/ds_[a-z0-9]+$"));
            String datasetId = d.getCurrentUrl().substring(d.getCurrentUrl().lastIndexOf('/') + 1);
            assertTrue(d.findElement(By.id("schema")).getText().contains("Survived"));
            assertEquals(21, d.findElements(By.cssSelector("#preview tr")).size(), "header and 20 preview rows");
            b.screenshot("02-dataset");

            // the train form, generated from the model catalog
            d.findElement(By.linkText("Train on this dataset")).click();
            b.wait.until(ExpectedConditions.urlContains("/console/train"));
            choose(d, "model_type", "RandomForest");
            b.wait.until(ExpectedConditions.presenceOfElementLocated(By.id("hp-n_trees")));
            choose(d, "target_column", "Survived");
            b.wait.until(driver -> "Survived".equals(new Select(driver.findElement(By.id("target_column")))
                    .getFirstSelectedOption().getAttribute("value"))
                    && driver.findElements(By.cssSelector("input[name=feature_columns][value=Survived]")).isEmpty());
            WebElement trees = d.findElement(By.id("hp-n_trees"));
            assertTrue(d.findElement(By.id("hp-n_trees-hint")).getText().contains("Default"), "hint with the default");
            trees.sendKeys("60");
            b.screenshot("03-train");
            d.findElement(By.id("submit-job")).click();

            // the jobs page: progress pushed by the server until 100 %
            b.wait.until(ExpectedConditions.urlContains("/console/jobs"));
            String jobId = d.getCurrentUrl().substring(d.getCurrentUrl().indexOf("#job-") + 5);
            // read with one script each time: the server replaces the row while the test reads it
            String rowState = "var r = document.getElementById('job-" + jobId + "'); "
                    + "return r ? r.querySelector('.status').textContent + ' ' + r.querySelector('.percent').textContent : '';";
            var js = (org.openqa.selenium.JavascriptExecutor) d;
            String statusAtLoad = (String) js.executeScript(rowState);
            js.executeScript("window.consoleTestMarker = true;");
            new WebDriverWait(d, ApiFixtures.JOB_DEADLINE).until(driver -> "COMPLETED 100 %".equals(js.executeScript(rowState)));
            assertEquals(Boolean.TRUE, js.executeScript("return window.consoleTestMarker === true;"), "the page was not reloaded");
            System.out.println("Job " + jobId + " was " + statusAtLoad + " when the jobs page loaded; the page was never reloaded.");
            b.screenshot("04-jobs");

            // the registry tree: v1 under titanic / RandomForest
            d.get(url("/?dataset_id=" + datasetId));
            WebElement entry = d.findElement(By.id("entry-" + datasetId + "-RandomForest"));
            assertTrue(entry.getText().contains(name));
            assertFalse(entry.getText().contains("[DEPLOYED]"));
            b.screenshot("05-registry");
            entry.findElement(By.linkText("v1")).click();

            // the version page: lineage, deploy
            b.wait.until(ExpectedConditions.urlContains("/console/models/RandomForest/versions/1"));
            assertTrue(d.findElement(By.tagName("main")).getText().contains(jobId));
            d.findElement(By.id("deploy-button")).click();
            b.wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("action-result"), "is deployed"));
            b.screenshot("06-version");

            // set an alias on v1 (the actions are swapped in by htmx), then the feature importance chart
            d.findElement(By.id("alias-name")).sendKeys("champion");
            d.findElement(By.id("alias-button")).click();
            b.wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("aliases"), "champion"));
            WebElement importance = d.findElement(By.id("importance-chart"));
            ((org.openqa.selenium.JavascriptExecutor) d).executeScript("arguments[0].scrollIntoView()", importance);
            b.wait.until(driver -> "true".equals(importance.getDomAttribute("data-drawn")));
            b.screenshot("06b-version-importance");

            d.get(url("/?dataset_id=" + datasetId));
            String v1Row = d.findElement(By.id("entry-" + datasetId + "-RandomForest")).getText();
            assertTrue(v1Row.contains("v1 [DEPLOYED]"));
            assertTrue(v1Row.contains("champion"), v1Row);

            // predict one passenger from the generated form
            d.get(url("/console/predict"));
            new Select(d.findElement(By.name("f.Sex"))).selectByValue("female");
            d.findElement(By.name("f.Pclass")).sendKeys("1");
            d.findElement(By.name("f.Age")).sendKeys("29");
            d.findElement(By.name("f.Fare")).sendKeys("80");
            d.findElement(By.id("predict-button")).click();
            WebElement answer = b.wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#prediction .answer")));
            String label = answer.findElement(By.cssSelector(".prediction")).getText();
            assertTrue(List.of("0", "1").contains(label), label);
            List<WebElement> bars = answer.findElements(By.cssSelector("table.bars tr"));
            assertEquals(2, bars.size());
            double total = 0;
            for (WebElement bar : bars) {
                total += Double.parseDouble(bar.findElement(By.cssSelector(".probability")).getText().replace(" %", ""));
            }
            assertEquals(100, total, 0.2);
            assertEquals(label, answer.findElement(By.cssSelector("tr.top th")).getText(), "the top bar is the label");
            assertTrue(answer.getText().contains("Missing (imputed)"), "SibSp, Parch and Embarked were left empty");
            b.screenshot("07-predict");

            // the deployment in the history
            d.get(url("/console/deployments"));
            WebElement history = d.findElement(By.id("history"));
            assertTrue(history.findElements(By.tagName("li")).getFirst().getText().contains("RandomForest v1"));
            assertTrue(history.getText().contains("[ACTIVE]"));
            b.screenshot("08-deployments");

            d.get(url("/console/tune?dataset_id=" + datasetId + "&model_type=GradientBoosting&target_column=Survived"));
            assertTrue(d.findElement(By.id("search-n_trees")).isDisplayed());
            b.screenshot("09-tune");
        }
    }

    /**
     * Picks an option as a user does. The change makes htmx replace the form with the server's new
     * one, which can happen before Selenium has finished checking its click: the old element is then gone.
     */
    static void choose(org.openqa.selenium.WebDriver d, String selectId, String value) {
        try {
            new Select(d.findElement(By.id(selectId))).selectByValue(value);
        } catch (org.openqa.selenium.StaleElementReferenceException replacedAlready) {
            // the option was chosen; the form it was in has been re-rendered
        }
    }

    @Test
    void everyPageFitsA390PixelWideScreen() {
        try (Browser b = Browser.open(390, 844)) {
            for (String page : List.of("/", "/console/datasets", "/console/train", "/console/jobs", "/console/deployments",
                    "/console/predict", "/console/batch-predictions")) {
                b.driver.get(url(page));
                b.wait.until(driver -> driver.findElement(By.id("main")).isDisplayed());
                b.screenshot("mobile" + page.replace('/', '-').replaceAll("-$", "-registry"));
                assertFalse(b.overflowsHorizontally(), page + " is wider than 390 px");
            }
        }
    }

    @Test
    void theKeyboardReachesTheMainContentFirst() {
        try (Browser b = Browser.open(1280, 900)) {
            b.driver.get(url("/console/datasets"));
            b.driver.findElement(By.tagName("body")).sendKeys(org.openqa.selenium.Keys.TAB);
            WebElement focused = b.driver.switchTo().activeElement();
            assertEquals("Skip to content", focused.getText());
            // every form control has a label
            Object unlabelled = ((org.openqa.selenium.JavascriptExecutor) b.driver).executeScript(
                    "return [...document.querySelectorAll('input:not([type=hidden]),select,textarea')]"
                            + ".filter(e => !e.labels || e.labels.length === 0).map(e => e.id || e.name);");
            assertEquals(List.of(), unlabelled);
        }
    }
}
