// The HTTP example's chat page in a real browser: Debian's Chromium, driven by playwright-core.
//
//   PLAYWRIGHT_DIR=$(scripts/test-clients/make-node) node scripts/test-clients/chat_page.mjs BASE_URL SCREENSHOT.png
//
// Opens BASE_URL/, types a question into #prompt, clicks #send, waits for the first streamed
// token in an .answer and then for the .route badge, saves a screenshot and prints one JSON object
// on stdout with what the page showed (examples/http/src/test/java/io/agentcouncil/examples/http/
// ChatPageBrowserTest.java judges it). On a failure it still prints the JSON, with "error", and
// exits 1. Every wait has a deadline, so it never hangs.
//
//   CHROMIUM            browser executable (default /usr/bin/chromium)
//   CHAT_PAGE_QUESTION  the message (default "What is the capital of France?")
//   CHAT_PAGE_TIMEOUT_MS  deadline of each wait (default 180000)
import { createRequire } from "node:module";
import { existsSync, statSync } from "node:fs";
import path from "node:path";

const [baseUrl, screenshot] = process.argv.slice(2);
if (!baseUrl || !screenshot) {
  console.error("usage: chat_page.mjs BASE_URL SCREENSHOT.png");
  process.exit(2);
}
const playwrightDir = process.env.PLAYWRIGHT_DIR || path.join(process.env.TMPDIR || "/tmp", "agentcouncil-playwright");
const executablePath = process.env.CHROMIUM || "/usr/bin/chromium";
const question = process.env.CHAT_PAGE_QUESTION || "What is the capital of France?";
const timeout = Number(process.env.CHAT_PAGE_TIMEOUT_MS || 180000);

// badResponses: every response with a status of 400 or more (a browser asks for /favicon.ico by
// itself). streamRequests: every request of /chat/stream, so one question asked once is one turn
// (an EventSource left open reconnects, which would ask it again).
const out = { baseUrl, question, chromium: executablePath, console: [], pageErrors: [], failedRequests: [],
              badResponses: [], streamRequests: [] };

function finish(code) {
  process.stdout.write(JSON.stringify(out) + "\n");
  process.exit(code);
}

if (!existsSync(executablePath)) {
  out.error = `${executablePath} not found: install Debian's chromium (apt-get install chromium) or set CHROMIUM`;
  finish(1);
}
let chromium;
try {
  // playwright-core lives outside the repository (make-node), so it is required from there.
  const require = createRequire(path.join(playwrightDir, "package.json"));
  chromium = require("playwright-core").chromium;
  out.playwright = require("playwright-core/package.json").version;
} catch (e) {
  out.error = `playwright-core is not in ${playwrightDir}: run scripts/test-clients/make-node (${e.message})`;
  finish(1);
}

const started = Date.now();
const since = () => Date.now() - started;
let browser;
let page;
try {
  browser = await chromium.launch({ executablePath, args: ["--no-sandbox"], headless: true, timeout });
  out.browserVersion = browser.version();
  page = await browser.newPage({ viewport: { width: 1000, height: 700 } });
  page.setDefaultTimeout(timeout);
  page.on("console", m => out.console.push(`${m.type()}: ${m.text()}`));
  page.on("pageerror", e => out.pageErrors.push(String(e)));
  page.on("requestfailed", r => out.failedRequests.push(`${r.method()} ${r.url()}: ${r.failure()?.errorText}`));
  page.on("response", r => { if (r.status() >= 400) out.badResponses.push(`${r.status()} ${r.request().method()} ${r.url()}`); });
  page.on("request", r => { if (new URL(r.url()).pathname === "/chat/stream") out.streamRequests.push(`${r.method()} ${r.url()}`); });

  // CHAT_PAGE_FRAGMENT: e.g. "#token=..." for a server that wants a bearer token.
  const response = await page.goto(new URL("/", baseUrl).href + (process.env.CHAT_PAGE_FRAGMENT || ""), { timeout });
  out.pageStatus = response.status();
  out.title = await page.title();

  await page.locator("#prompt").click();
  await page.locator("#prompt").pressSequentially(question);
  out.typed = await page.locator("#prompt").inputValue();
  await page.locator("#send").click();
  const clicked = since();
  out.sendDisabledWhileStreaming = await page.locator("#send").isDisabled();

  // The first token: some .answer has text. Whether the route badge is there yet tells
  // streaming (tokens while the turn goes on) from a reply shown whole at the end.
  await page.waitForFunction(
    () => [...document.querySelectorAll("#log .answer")].some(a => a.textContent.length > 0), null, { timeout });
  out.firstTokenMs = since() - clicked;
  out.firstTokenText = await page.evaluate(
    () => [...document.querySelectorAll("#log .answer")].map(a => a.textContent).join(""));
  out.routeShownAtFirstToken = (await page.locator("#log .route").count()) > 0;

  await page.locator("#log .route").waitFor({ state: "visible", timeout });
  out.routeMs = since() - clicked;

  Object.assign(out, await page.evaluate(() => {
    const turn = document.querySelector("#log .turn");
    const answers = [...turn.querySelectorAll(".answer")];
    const route = turn.querySelector(".route");
    return {
      turns: document.querySelectorAll("#log .turn").length,
      user: turn.querySelector(".user")?.textContent ?? null,
      answers: answers.map(a => ({ text: a.textContent, struckThrough: a.style.textDecoration === "line-through" })),
      answer: answers.length ? answers[answers.length - 1].textContent : "",
      escalations: [...turn.querySelectorAll(".escalation")].map(e => e.textContent),
      route: route?.dataset.route ?? null,
      routeText: route?.textContent ?? null,
      sendDisabledAfter: document.getElementById("send").disabled,
      promptAfter: document.getElementById("prompt").value,
    };
  }));

  await page.screenshot({ path: screenshot, fullPage: true, timeout });
  out.screenshot = path.resolve(screenshot);
  out.screenshotBytes = statSync(screenshot).size;
  out.totalMs = since();
} catch (e) {
  out.error = String(e && e.stack || e);
  if (page) {
    try {
      out.log = await page.locator("#log").innerText({ timeout: 2000 });
      await page.screenshot({ path: screenshot, fullPage: true, timeout: 10000 });
      out.screenshot = path.resolve(screenshot);
    } catch (ignored) {
      // the original error is what matters
    }
  }
} finally {
  if (browser) {
    await browser.close().catch(() => {});
  }
}
finish(out.error ? 1 : 0);
