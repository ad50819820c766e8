// Opens a compliance report (policylint report --output FILE) in headless Chromium,
// from disk, with the network cut off, and does one thing with it:
//
//   node scripts/report_page.mjs select REPORT.html POLICY_INDEX RULE_ID
//       selects the cell (a click, then the keyboard) and prints the details panel
//       as JSON: {"clicked": {...}, "keyboard": {...}, "requests": [...]}
//   node scripts/report_page.mjs screenshot REPORT.html OUT.png [WIDTH HEIGHT [SELECT]]
//       SELECT: a rule id (the first policy's cell of that rule is selected), or
//       `policy` (the first policy's scores are shown)
//   node scripts/report_page.mjs load-time REPORT.html [RUNS]
//       prints the milliseconds from navigation to the drawn table, one run a line
//
// playwright-core drives the browser: `npm install --prefix target/ci-tools
// --no-package-lock playwright-core` (.ci/run does it); PLAYWRIGHT_CORE names another
// copy, CHROMIUM another browser.
import { createRequire } from "node:module";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve, dirname } from "node:path";
import { pathToFileURL, fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const { chromium } = require(
  process.env.PLAYWRIGHT_CORE || join(here, "..", "target", "ci-tools", "node_modules", "playwright-core")
);

const FLAGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

async function open(file, viewport) {
  const profile = mkdtempSync(join(tmpdir(), "policylint-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    headless: true,
    args: FLAGS,
    viewport: viewport || { width: 1400, height: 900 },
    offline: true,
  });
  const requests = [];
  context.on("request", (r) => {
    if (!r.url().startsWith("file:")) requests.push(r.url());
  });
  const page = context.pages()[0] || (await context.newPage());
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.goto(pathToFileURL(resolve(file)).href, { waitUntil: "load" });
  await page.waitForSelector("html[data-ready]", { timeout: 60000 });
  const close = async () => {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  };
  return { page, requests, errors, close };
}

async function panel(page) {
  return page.evaluate(() => {
    const text = (id) => {
      const e = document.getElementById(id);
      return e ? e.textContent.trim() : null;
    };
    return {
      title: text("detail-title"),
      status: text("detail-status"),
      evidence: text("detail-evidence"),
      finding: text("detail-finding"),
      findings: [...document.querySelectorAll("#panel .finding blockquote")].map((e) => e.textContent.trim()),
      where: [...document.querySelectorAll("#panel .where")].map((e) => e.textContent.trim()),
      focused: document.activeElement ? document.activeElement.className : null,
      // One policy: the third-party services its site loads, a row each.
      services: [...document.querySelectorAll("#view .services tbody tr")].map((tr) =>
        [...tr.cells].map((c) => c.textContent.trim())
      ),
    };
  });
}

async function select(file, policy, rule) {
  const { page, requests, errors, close } = await open(file);
  const index = await page.evaluate(
    (rule) => JSON.parse(document.getElementById("policylint-catalog").textContent).laws.flatMap((l) => l.rules).indexOf(rule),
    rule
  );
  const cell = `[data-p="${policy}"][data-r="${index}"]`;
  const cells = await page.evaluate(() => document.querySelectorAll("#view .cell, #view .item").length);
  // The keyboard: from the search box, Tab to the table's first cell, then the arrow
  // keys to the cell.
  await page.click("#search");
  await page.keyboard.press("Tab");
  const [row, col] = await page.evaluate((cell) => {
    const target = document.querySelector(cell);
    const first = document.querySelector('#view [tabindex="0"]');
    const items = [...document.querySelectorAll("#view .cell, #view .item")];
    if (target.classList.contains("item")) return [items.indexOf(target) - items.indexOf(first), 0];
    const tr = target.closest("tr");
    const rows = [...tr.parentNode.rows];
    return [rows.indexOf(tr) - rows.indexOf(first.closest("tr")), [...tr.cells].indexOf(target.parentNode) - [...first.closest("tr").cells].indexOf(first.parentNode)];
  }, cell);
  for (let i = 0; i < row; i++) await page.keyboard.press("ArrowDown");
  for (let i = 0; i < col; i++) await page.keyboard.press("ArrowRight");
  const keyboard = await panel(page);
  // The mouse, on the page opened afresh.
  await page.reload({ waitUntil: "load" });
  await page.waitForSelector("html[data-ready]");
  await page.click(cell);
  const clicked = await panel(page);
  await close();
  console.log(JSON.stringify({ cells, clicked, keyboard, requests, errors }, null, 2));
}

async function screenshot(file, out, width, height, rule) {
  const { page, errors, close } = await open(file, { width: +width || 1400, height: +height || 900 });
  if (rule === "policy") {
    await page.click('[data-policy="0"]');
  } else if (rule) {
    const index = await page.evaluate(
      (rule) => JSON.parse(document.getElementById("policylint-catalog").textContent).laws.flatMap((l) => l.rules).indexOf(rule),
      rule
    );
    await page.click(`[data-p="0"][data-r="${index}"]`);
  }
  await page.screenshot({ path: out });
  await close();
  if (errors.length) throw new Error(errors.join("\n"));
}

async function loadTime(file, runs) {
  for (let i = 0; i < (+runs || 3); i++) {
    const { page, close } = await open(file);
    const ms = await page.evaluate(() => +document.documentElement.dataset.readyMs);
    console.log(ms);
    await close();
  }
}

const [command, ...args] = process.argv.slice(2);
const commands = { select, screenshot, "load-time": loadTime };
if (!commands[command]) {
  console.error("usage: report_page.mjs select|screenshot|load-time REPORT.html ...");
  process.exit(2);
}
commands[command](...args).catch((e) => {
  console.error(String(e && e.stack ? e.stack : e));
  process.exit(1);
});
