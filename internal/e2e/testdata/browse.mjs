// Loads pages in Chromium through playwright-core and reports, as JSON on
// stdout, what a visitor's browser would meet: console errors, failed
// requests, horizontal scrolling, axe-core's violations; and writes a
// full-page screenshot of each page at each width. The Go test decides what
// is wrong: this script only observes.
//
// usage: node browse.mjs JOB.json
//
// JOB: {chromium, playwright, axe, screenshots, axeTags: [...],
//       widths: [1280, 375], pages: [{name, url}]}
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import path from "node:path";

const job = JSON.parse(readFileSync(process.argv[2], "utf8"));
const require = createRequire(import.meta.url);
const { chromium } = require(job.playwright);

const browser = await chromium.launch({
  executablePath: job.chromium,
  headless: true,
  chromiumSandbox: false,
  // No network but loopback here: keep Chromium from calling home.
  args: ["--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--disable-extensions", "--font-render-hinting=none"],
});
const results = [];
try {
  for (const width of job.widths) {
    const context = await browser.newContext({ viewport: { width, height: width < 600 ? 800 : 900 }, locale: "vi-VN" });
    for (const p of job.pages) {
      const page = await context.newPage();
      const r = { name: p.name, url: p.url, width, status: 0, consoleErrors: [], failedRequests: [], violations: [] };
      page.on("console", (m) => {
        if (m.type() === "error") {
          const loc = m.location();
          r.consoleErrors.push(`${m.text()}${loc && loc.url ? ` (${loc.url}:${loc.lineNumber})` : ""}`);
        }
      });
      page.on("pageerror", (e) => r.consoleErrors.push(`uncaught: ${e.message}`));
      page.on("requestfailed", (q) => r.failedRequests.push(`${q.url()}: ${q.failure()?.errorText}`));
      page.on("response", (s) => {
        // The page itself is judged by its status below; a 404 page is
        // served with 404 on purpose.
        if (s.status() >= 400 && s.url() !== p.url) r.failedRequests.push(`${s.url()}: status ${s.status()}`);
      });
      const t0 = Date.now();
      const resp = await page.goto(p.url, { waitUntil: "load" });
      const t1 = Date.now();
      r.status = resp ? resp.status() : 0;
      await page.waitForLoadState("networkidle");
      const m = await page.evaluate(() => ({
        scrollWidth: document.documentElement.scrollWidth,
        clientWidth: document.documentElement.clientWidth,
        wide: [...document.querySelectorAll("body *")]
          .filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
          .slice(0, 5)
          .map((e) => e.tagName.toLowerCase() + (e.className ? "." + String(e.className).split(" ").join(".") : "")),
      }));
      Object.assign(r, m);
      r.screenshot = path.join(job.screenshots, `${p.name}-${width}.png`);
      await page.screenshot({ path: r.screenshot, fullPage: true });
      const t2 = Date.now();
      await page.addScriptTag({ path: job.axe });
      const axe = await page.evaluate(async (tags) => {
        // eslint-disable-next-line no-undef
        const res = await axe.run(document, { runOnly: { type: "tag", values: tags }, resultTypes: ["violations"] });
        return res.violations.map((v) => ({
          id: v.id, impact: v.impact, help: v.help, tags: v.tags,
          nodes: v.nodes.map((n) => ({ target: n.target.join(" "), html: n.html, summary: n.failureSummary })),
        }));
      }, job.axeTags);
      r.violations = axe;
      // The keyboard: the first Tab stop is the skip link, shown when
      // focused; every stop shows where the focus is.
      r.focus = [];
      for (let i = 0; i < job.tabs; i++) {
        await page.keyboard.press("Tab");
        const f = await page.evaluate(() => {
          let e = document.activeElement;
          if (!e || e === document.body) return null;
          const name = e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") + (e.className ? "." + String(e.className).split(" ").join(".") : "") + ` "${(e.textContent || "").trim().slice(0, 30)}"`;
          // A visually hidden checkbox shows its focus on its label.
          if (getComputedStyle(e).opacity === "0" && e.id) e = document.querySelector(`label[for="${e.id}"]`) || e;
          const cs = getComputedStyle(e);
          const rect = e.getBoundingClientRect();
          return {
            name, href: e.getAttribute("href") || "",
            outline: cs.outlineStyle !== "none" && parseFloat(cs.outlineWidth) >= 2 ? `${cs.outlineWidth} ${cs.outlineStyle} ${cs.outlineColor}` : "",
            inView: rect.width > 1 && rect.height > 1 && rect.bottom > 0 && rect.top < innerHeight && rect.right > 0 && rect.left < innerWidth,
          };
        });
        if (f) r.focus.push(f);
      }
      process.stderr.write(`${p.name} ${width}: load ${t1 - t0} ms, idle+shot ${t2 - t1} ms, axe ${Date.now() - t2} ms\n`);
      results.push(r);
      await page.close();
    }
    await context.close();
  }
} finally {
  await browser.close();
}
process.stdout.write(JSON.stringify({ results }));
