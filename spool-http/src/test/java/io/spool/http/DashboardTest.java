package io.spool.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.spool.media.testing.Eventually;
import io.spool.media.testing.MediaFixtures;
import java.io.File;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The dashboard in a real headless Chromium (Debian's {@code chromium} and {@code chromium-driver},
 * which {@code ./spool test} installs) against a real server and real jobs. Each test leaves a
 * screenshot in {@code target/dashboard-screenshots}.
 */
class DashboardTest {
  private static final String CHROMIUM = System.getProperty("spool.chromium", "/usr/bin/chromium");
  private static final String CHROMEDRIVER = System.getProperty("spool.chromedriver", "/usr/bin/chromedriver");
  private static final Duration JOB_LIMIT = Duration.ofSeconds(90);
  private static final Duration PAGE_LIMIT = Duration.ofSeconds(20);
  private static final String LONG_CLIP = "h264_aac_stereo_360p_17s.mp4";

  @TempDir static Path home;
  static RunningServer s;
  static ChromeDriver browser;

  @BeforeAll
  static void start() throws Exception {
    assertThat(new File(CHROMIUM)).as("headless Chromium (apt-get install chromium chromium-driver; ./spool test does)")
        .canRead();
    assertThat(new File(CHROMEDRIVER)).as("chromedriver (apt-get install chromium-driver; ./spool test does)").canRead();
    s = RunningServer.in(home);
    HttpResponse<String> put = s.send(s.request("/v1/volumes/media/raw/" + LONG_CLIP)
        .PUT(HttpRequest.BodyPublishers.ofFile(MediaFixtures.media(LONG_CLIP))));
    assertThat(put.statusCode()).as(put.body()).isEqualTo(201);
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM);
    options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
        "--window-size=1400,1000");
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(CHROMEDRIVER))
        .usingAnyFreePort().build();
    browser = new ChromeDriver(service, options);
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.quit();
    }
    if (s != null) {
      s.close();
    }
  }

  @AfterEach
  void screenshot(TestInfo test) throws Exception {
    Path dir = Files.createDirectories(Path.of("target", "dashboard-screenshots"));
    Files.write(dir.resolve(test.getTestMethod().orElseThrow().getName() + ".png"), browser.getScreenshotAs(OutputType.BYTES));
  }

  @Test
  void thePageAndItsFilesAreServedWithoutATokenAndLoadNothingFromElsewhere() {
    for (String path : List.of("/", "/dashboard/dashboard.js", "/dashboard/tus.js", "/dashboard/dashboard.css")) {
      HttpResponse<String> r = s.send(HttpRequest.newBuilder(s.uri(path)).GET());

      assertThat(r.statusCode()).as(path).isEqualTo(200);
      assertThat(r.headers().firstValue("Content-Security-Policy")).as(path)
          .hasValueSatisfying(p -> assertThat(p).contains("default-src 'none'").contains("connect-src 'self'"));
      assertThat(r.body()).as(path).doesNotContain("http://", "https://", "//cdn");
    }
    assertThat(s.send(HttpRequest.newBuilder(s.uri("/dashboard/secrets.txt")).GET()).statusCode()).isEqualTo(404);
    assertThat(s.send(HttpRequest.newBuilder(s.uri("/v1/jobs")).GET()).statusCode()).isEqualTo(401);
  }

  @Test
  void theApiExplorerListsTheDocumentsOperationsWithoutATokenAndLoadsNothingFromElsewhere() {
    for (String path : List.of("/docs", "/docs/explorer.js", "/docs/swagger-ui-bundle.js", "/docs/swagger-ui.css",
        "/openapi.json")) {
      HttpResponse<String> r = s.send(HttpRequest.newBuilder(s.uri(path)).GET());
      assertThat(r.statusCode()).as(path).isEqualTo(200);
    }
    assertThat(s.send(HttpRequest.newBuilder(s.uri("/docs/index.css")).GET()).statusCode()).isEqualTo(404);

    browser.get(s.uri("/docs").toString());

    Eventually.await(PAGE_LIMIT, "Swagger UI to list POST /v1/jobs", () -> attribute(
        By.cssSelector("#operations-jobs-submitJob, .opblock-post [data-path='/v1/jobs']"), "tagName").isPresent()
        || browser.findElements(By.cssSelector(".opblock-summary-path")).stream()
            .anyMatch(e -> e.getText().replace("\u200b", "").equals("/v1/jobs")));
    assertThat(browser.findElements(By.cssSelector(".opblock")).size()).isGreaterThan(20);
    assertThat(text(By.cssSelector(".info .title"))).hasValueSatisfying(t -> assertThat(t).contains("Spool"));
  }

  @Test
  void aSucceededJobShowsAPosterOfItsVideoOutputAndTheHostShowsItsWorkers() {
    String id = submit("posters/out.mp4", "preview");
    Eventually.await(JOB_LIMIT, "job " + id + " to succeed",
        () -> RunningServer.json(s.get("/v1/jobs/" + id)).path("state").asText().equals("succeeded"));
    HttpResponse<byte[]> poster = s.client.sendAsync(s.request("/v1/jobs/" + id + "/outputs/out.mp4/poster").GET().build(),
        HttpResponse.BodyHandlers.ofByteArray()).join();
    assertThat(poster.statusCode()).isEqualTo(200);
    assertThat(poster.headers().firstValue("Content-Type")).hasValue("image/jpeg");
    assertThat(poster.body()[0] & 0xff).isEqualTo(0xff); // a JPEG's start of image
    assertThat(poster.body()[1] & 0xff).isEqualTo(0xd8);
    assertThat(s.send(HttpRequest.newBuilder(s.uri("/v1/jobs/" + id + "/outputs/out.mp4/poster")).GET()).statusCode())
        .isEqualTo(401);
    assertThat(s.get("/v1/jobs/" + id + "/outputs/nothing.mp4/poster").statusCode()).isEqualTo(404);

    signIn(RunningServer.TOKEN);
    By row = By.cssSelector("#jobs tr[data-job-id='" + id + "']");
    Eventually.await(PAGE_LIMIT, "job " + id + " in the list", () -> !browser.findElements(row).isEmpty());
    browser.findElement(row).click();

    Eventually.await(JOB_LIMIT, "the poster to show", () -> browser.findElements(By.cssSelector("#outputs img.poster"))
        .stream().anyMatch(img -> {
          Object w = ((JavascriptExecutor) browser).executeScript("return arguments[0].naturalWidth", img);
          return w instanceof Number n && n.intValue() == 320;
        }));
    Eventually.await(PAGE_LIMIT, "the host panel", () -> text(By.id("no-workers")).filter(t -> t.contains("No worker"))
        .isPresent());
  }

  @Test
  void aJobSubmittedOverHttpAppearsAndItsProgressAndStateChangeLive() {
    signIn(RunningServer.TOKEN);
    // The slow preset keeps it running for seconds after the page, which reads its list every few, sees it.
    String id = submit("live/out.mp4", "archive");

    By state = By.cssSelector("#jobs tr[data-job-id='" + id + "'] td.state");
    By bar = By.cssSelector("#jobs tr[data-job-id='" + id + "'] progress");
    List<Double> fractions = new ArrayList<>();
    List<String> states = new ArrayList<>();
    Eventually.await(JOB_LIMIT, "job " + id + " to show as succeeded", () -> {
      text(state).filter(t -> states.isEmpty() || !states.get(states.size() - 1).equals(t)).ifPresent(states::add);
      attribute(bar, "value").map(Double::parseDouble).filter(f -> f > 0 && f < 1)
          .filter(f -> fractions.isEmpty() || !fractions.get(fractions.size() - 1).equals(f)).ifPresent(fractions::add);
      return states.contains("succeeded");
    });

    assertThat(states).contains("running").last().isEqualTo("succeeded");
    assertThat(fractions).as("progress shown while it ran").isNotEmpty().isSorted();
    assertThat(attribute(bar, "value")).hasValue("1");

    browser.findElement(By.cssSelector("#jobs tr[data-job-id='" + id + "']")).click();
    Eventually.await(PAGE_LIMIT, "the job's attempts", () -> browser.findElements(By.cssSelector("#attempts tbody tr")).size() == 1
        && id.equals(browser.findElement(By.id("detail")).getDomAttribute("data-job-id")));
    String cost = browser.findElement(By.id("detail-cost")).getText();
    assertThat(cost).contains("Total").containsPattern("\\$0\\.\\d+");
    assertThat(browser.findElement(By.id("outputs")).getText()).contains("Download out.mp4");
  }

  @Test
  void theCancelButtonCancelsTheJobAndEndsItsFfmpeg() {
    signIn(RunningServer.TOKEN);
    String id = submit("cancel/never-made.mp4", "archive");
    List<Long> ffmpeg = Eventually.await(Duration.ofSeconds(30), "the job's ffmpeg", () ->
        MediaFixtures.ffmpegProcessesMentioning("never-made"), pids -> !pids.isEmpty());
    Eventually.await(PAGE_LIMIT, "job " + id + " listed", () -> !browser.findElements(
        By.cssSelector("#jobs tr[data-job-id='" + id + "']")).isEmpty());

    browser.findElement(By.cssSelector("#jobs tr[data-job-id='" + id + "']")).click();
    Eventually.await(PAGE_LIMIT, "the cancel button", () -> browser.findElement(By.id("cancel-job")).isDisplayed());
    browser.findElement(By.id("cancel-job")).click();

    Eventually.await(JOB_LIMIT, "the page to show the job cancelled", () ->
        text(By.cssSelector("#jobs tr[data-job-id='" + id + "'] td.state")).filter("cancelled"::equals).isPresent());
    Eventually.await(Duration.ofSeconds(10), "ffmpeg " + ffmpeg + " to end",
        () -> ffmpeg.stream().noneMatch(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)));
    JsonNode job = RunningServer.json(s.get("/v1/jobs/" + id));
    assertThat(job.path("state").asText()).isEqualTo("cancelled");
    assertThat(job.path("error").path("code").asText()).isEqualTo("CANCELLED");
    Eventually.await(PAGE_LIMIT, "the detail to show the cancellation", () ->
        browser.findElement(By.id("detail-error")).getText().contains("CANCELLED")
            && !browser.findElement(By.id("cancel-job")).isDisplayed());
  }

  @Test
  void aTokenTheServerRefusesIsShownAsAnError() {
    signIn("not-a-token-of-this-server");

    Eventually.await(PAGE_LIMIT, "the refusal", () -> browser.findElement(By.id("login-error")).isDisplayed());
    assertThat(browser.findElement(By.id("login-error")).getText()).contains("refused").contains("UNAUTHORIZED");
    assertThat(browser.findElement(By.id("app")).isDisplayed()).isFalse();
    assertThat(browser.findElement(By.id("token")).isDisplayed()).isTrue();
  }

  @Test
  void theUploadFormResumesAnUploadFromTheServersOffsetAndTranscodesIt() throws Exception {
    Path video = MediaFixtures.media("h264_aac_mono_1s.mp4");
    byte[] bytes = Files.readAllBytes(video);
    // An upload of the same file that an earlier page began and lost half way: the server holds its first half.
    HttpResponse<String> made = s.send(s.request("/v1/uploads").header("Tus-Resumable", "1.0.0")
        .header("Upload-Length", Integer.toString(bytes.length)).POST(HttpRequest.BodyPublishers.noBody()));
    assertThat(made.statusCode()).as(made.body()).isEqualTo(201);
    String url = made.headers().firstValue("Location").orElseThrow();
    int half = bytes.length / 2;
    HttpResponse<String> first = s.send(s.request(url).header("Tus-Resumable", "1.0.0").header("Upload-Offset", "0")
        .header("Content-Type", "application/offset+octet-stream")
        .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(java.util.Arrays.copyOf(bytes, half))));
    assertThat(first.statusCode()).as(first.body()).isEqualTo(204);
    signIn(RunningServer.TOKEN);
    Eventually.await(PAGE_LIMIT, "the upload form", () -> browser.findElement(By.id("upload-file")).isDisplayed());
    long modified = Files.getLastModifiedTime(video).toMillis();
    ((JavascriptExecutor) browser).executeScript("localStorage.setItem(Tus.STORE_KEY, JSON.stringify({[arguments[0]]: arguments[1]}))",
        "tus/" + video.getFileName() + "/" + bytes.length + "/" + modified, url);

    browser.findElement(By.id("upload-file")).sendKeys(video.toAbsolutePath().toString());
    browser.findElement(By.id("upload-output")).sendKeys("media:dash/mono.mp4");
    browser.findElement(By.cssSelector("#upload-preset option:nth-child(2)")).click(); // preview
    browser.findElement(By.id("upload-start")).click();

    String jobId = Eventually.await(PAGE_LIMIT, "the job the upload became",
        () -> read(By.id("upload-status"), e -> e.getDomAttribute("data-job-id")), Optional::isPresent).orElseThrow();
    assertThat(browser.findElement(By.cssSelector("#upload-status .progress-text")).getText())
        .contains("uploaded " + bytes.length + " bytes");
    JsonNode job = RunningServer.json(s.get("/v1/jobs/" + jobId));
    String uploadRef = "upload:" + url.substring(url.lastIndexOf('/') + 1);
    assertThat(job.path("input").asText()).as("never where the server keeps it").isEqualTo(uploadRef);
    HttpResponse<byte[]> held = s.client.send(s.request(url).header("Tus-Resumable", "1.0.0")
        .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofByteArray());
    assertThat(held.headers().firstValue("Upload-Offset")).hasValue(Integer.toString(bytes.length));
    assertThat(Files.readAllBytes(home.resolve("scratch/http/uploads").resolve(url.substring(url.lastIndexOf('/') + 1))
        .resolve("data"))).isEqualTo(bytes);
    Eventually.await(JOB_LIMIT, "the page to show the job succeeded", () ->
        text(By.cssSelector("#jobs tr[data-job-id='" + jobId + "'] td.state")).filter("succeeded"::equals).isPresent());
    assertThat(text(By.cssSelector("#jobs tr[data-job-id='" + jobId + "'] td.input"))).hasValue(uploadRef);
    assertThat(((JavascriptExecutor) browser).executeScript("return localStorage.getItem(Tus.STORE_KEY)"))
        .as("a finished upload is forgotten").isEqualTo("{}");
  }

  /** Opens the page afresh, with no token kept from before, and enters {@code token}. */
  private static void signIn(String token) {
    browser.get(s.uri("/").toString());
    ((JavascriptExecutor) browser).executeScript("sessionStorage.clear()");
    browser.navigate().refresh();
    Eventually.await(PAGE_LIMIT, "the token form", () -> browser.findElement(By.id("token")).isDisplayed());
    browser.findElement(By.id("token")).sendKeys(token);
    browser.findElement(By.id("use-token")).click();
  }

  private static String submit(String output, String preset) {
    HttpResponse<String> r = s.postJson("/v1/jobs", """
        {"type": "transcode", "input": "media:raw/%s", "output": "media:%s",
         "options": {"preset": "%s"}, "resources": {"cpu": 1}}""".formatted(LONG_CLIP, output, preset));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
    return RunningServer.json(r).path("id").asText();
  }

  private static Optional<String> text(By by) {
    return read(by, WebElement::getText);
  }

  private static Optional<String> attribute(By by, String name) {
    return read(by, e -> e.getDomProperty(name));
  }

  /** What {@code how} reads from the first element {@code by} finds, if there is one (the page may redraw it meanwhile). */
  private static Optional<String> read(By by, java.util.function.Function<WebElement, String> how) {
    try {
      List<WebElement> found = browser.findElements(by);
      return found.isEmpty() ? Optional.empty() : Optional.ofNullable(how.apply(found.get(0)));
    } catch (StaleElementReferenceException e) {
      return Optional.empty();
    }
  }
}
