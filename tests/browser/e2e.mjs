// End-to-end test of `vanban serve` in headless Chromium, as a clerk would use it:
// search by number and by words, open a document beside its scan, follow a citation,
// look at the raw OCR and a repair's alternatives, download the exports.
//
// Run by tests/serve_browser.rs, which ingests the sample corpus and starts the server:
//   VANBAN_URL=http://127.0.0.1:PORT node e2e.mjs
// Screenshots go to $VANBAN_SHOTS (default /tmp/vanban-e2e).

import { chromium } from "playwright-core";
import { mkdtempSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import assert from "node:assert/strict";

const base = process.env.VANBAN_URL;
if (!base) {
  console.error("set VANBAN_URL to the address of a running `vanban serve`");
  process.exit(2);
}
const shots = process.env.VANBAN_SHOTS || "/tmp/vanban-e2e";
mkdirSync(shots, { recursive: true });
const profile = mkdtempSync(join(tmpdir(), "vanban-chromium-"));

const context = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  headless: true,
  args: [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
  ],
  viewport: { width: 1366, height: 768 },
  acceptDownloads: true,
  locale: "vi-VN",
});
const page = context.pages()[0] ?? (await context.newPage());
page.setDefaultTimeout(20_000);

// Anything the browser complains about (a CSP violation, a failed asset, a script error)
// is a failure: the pages must work offline with what the binary serves.
const problems = [];
page.on("pageerror", (err) => problems.push(`script error: ${err.message}`));
page.on("console", (msg) => {
  if (msg.type() === "error") problems.push(`console error: ${msg.text()}`);
});
page.on("requestfailed", (req) => problems.push(`request failed: ${req.url()} ${req.failure()?.errorText}`));
page.on("request", (req) => {
  if (!req.url().startsWith(base) && !req.url().startsWith("data:")) problems.push(`request outside the server: ${req.url()}`);
});

const steps = [];
async function step(name, body) {
  try {
    await body();
    steps.push([name, null]);
    console.log(`ok   ${name}`);
  } catch (err) {
    steps.push([name, err]);
    console.log(`FAIL ${name}\n     ${String(err.stack || err).split("\n").join("\n     ")}`);
    await page.screenshot({ path: join(shots, `failed-${steps.length}.png`), fullPage: true }).catch(() => {});
  }
}

async function search(text) {
  await page.locator("#q").fill(text);
  await page.locator("#q").press("Enter");
  await page.waitForLoadState("domcontentloaded");
}

async function imageLoaded(selector) {
  const img = page.locator(selector).first();
  await img.scrollIntoViewIfNeeded();
  await page.waitForFunction((el) => el.complete && el.naturalWidth > 0, await img.elementHandle());
  return img.evaluate((el) => [el.naturalWidth, el.naturalHeight]);
}

async function download(link) {
  const [file] = await Promise.all([page.waitForEvent("download"), link.click()]);
  const path = join(shots, file.suggestedFilename());
  await file.saveAs(path);
  return { name: file.suggestedFilename(), bytes: readFileSync(path) };
}

await step("the home page lists the archive, with the cursor in the search box", async () => {
  await page.goto(base + "/");
  assert.match(await page.locator(".summary").innerText(), /Kho lưu trữ có 5 văn bản/);
  assert.equal(await page.evaluate(() => document.activeElement?.id), "q");
  assert.equal(await page.locator("html").getAttribute("lang"), "vi");
});

await step("a number search shows the document first, then the documents citing it", async () => {
  await search("kế hoạch số 107/KH-UBND");
  assert.match(await page.locator(".summary").innerText(), /107\/KH-UBND: văn bản có trong kho, và \d+ văn bản trích dẫn/);
  const first = page.locator(".hit").first();
  assert.match(await first.locator("h2").innerText(), /Kế hoạch 107\/KH-UBND/);
  assert.match(await first.locator(".badge").innerText(), /Văn bản gốc/);
  const citing = await page.locator(".hit .badge.cites").count();
  assert.ok(citing >= 3, `${citing} citing documents`);
  assert.ok((await page.locator(".hit mark").count()) > 0, "the number is highlighted");
  await page.screenshot({ path: join(shots, "1-search-number.png"), fullPage: true });
});

await step("a word search without diacritics finds the accented text, with facets to filter", async () => {
  await search("ban chi dao");
  const marks = await page.locator(".hit mark").allInnerTexts();
  assert.ok(marks.some((m) => m.toLowerCase() === "chỉ"), `highlights: ${marks.join(", ")}`);
  assert.match(await page.locator(".hit h2").first().innerText(), /Quyết định 1582\/QĐ-UBND/);
  await page.screenshot({ path: join(shots, "2-search-words.png"), fullPage: true });
  await page.goto(base + "/");
  await page.locator(".facets a", { hasText: "Quyết định" }).click();
  await page.waitForLoadState("domcontentloaded");
  assert.match(await page.locator(".summary").innerText(), /^1 văn bản/);
  assert.match(await page.locator(".facets .chosen").first().innerText(), /Quyết định/);
});

let decisionUrl;
await step("a document opens beside its scan", async () => {
  await search("ban chi dao");
  await page.locator(".hit h2 a").first().click();
  await page.waitForLoadState("domcontentloaded");
  decisionUrl = page.url();
  assert.match(await page.locator("h1").innerText(), /Quyết định 1582\/QĐ-UBND/);
  const [w, h] = await imageLoaded(".scan img");
  assert.ok(w > 500 && h > 500, `scan ${w}x${h}`);
  await page.evaluate(() => window.scrollTo(0, 0));
  const scan = await page.locator(".scan").boundingBox();
  const text = await page.locator(".reading").boundingBox();
  assert.ok(text.x > scan.x + scan.width - 5 && Math.abs(text.y - scan.y) < 40, "the text stands beside the scan");
  assert.match(await page.locator(".reading ol.text").innerText(), /Ban Chỉ đạo/);
  assert.match(await page.locator(".meta").innerText(), /Ngày ban hành\s+17\/03\/2025/);
  assert.match(await page.locator(".citations").innerText(), /không có trong kho lưu trữ/);
  await page.screenshot({ path: join(shots, "3-document.png") });
});

await step("the raw OCR is one click away", async () => {
  await page.locator(".tabs a", { hasText: "Bản OCR gốc" }).click();
  await page.waitForLoadState("domcontentloaded");
  assert.equal(await page.locator(".tabs a[aria-current]").innerText(), "Bản OCR gốc");
  assert.ok((await page.locator(".reading ol.text li").count()) > 10);
});

await step("a citation leads to the cited document, which lists what cites it", async () => {
  await page.goto(decisionUrl);
  await page.locator("a.held", { hasText: "107/KH-UBND" }).first().click();
  await page.waitForLoadState("domcontentloaded");
  assert.match(await page.locator("h1").innerText(), /Kế hoạch 107\/KH-UBND/);
  const [w] = await imageLoaded(".scan img");
  assert.ok(w > 500, "the PDF page is rasterized");
  const citedBy = await page.locator(".cited-by > li > a").allInnerTexts();
  assert.ok(citedBy.some((t) => /1582\/QĐ-UBND/.test(t)), `cited by: ${citedBy.join("; ")}`);
  await page.screenshot({ path: join(shots, "4-cited-document.png"), fullPage: true });
});

await step("a repaired word shows what OCR read and the alternative", async () => {
  await search("45-TB/HU");
  await page.locator(".hit h2 a").first().click();
  await page.waitForLoadState("domcontentloaded");
  const words = page.locator("ol.text .corr");
  assert.ok((await words.count()) > 0, "corrections are marked");
  const word = page.locator("ol.text .corr.unsure").first().or(words.first()).first();
  await word.scrollIntoViewIfNeeded();
  await word.hover();
  const tip = word.locator(".alt");
  await tip.waitFor({ state: "visible" });
  assert.match(await tip.innerText(), /OCR đọc: .+ · độ tin cậy \d+%/);
  await page.screenshot({ path: join(shots, "5-corrections.png") });
});

await step("the cross-reference list downloads as CSV that Excel reads as UTF-8", async () => {
  await page.goto(base + "/");
  const { name, bytes } = await download(page.locator("footer a", { hasText: "Danh sách trích dẫn (CSV)" }));
  assert.equal(name, "vanban-trich-dan.csv");
  assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], "byte-order mark");
  const text = bytes.toString("utf8");
  assert.match(text, /^\uFEFFciting_path,citing_record_id,/);
  assert.match(text, /107\/KH-UBND/);
  assert.match(text, /Nghị quyết/);
});

await step("one search's cross-references download as JSON", async () => {
  await search("1582/QĐ-UBND");
  const { name, bytes } = await download(page.locator(".export a", { hasText: "JSON" }));
  assert.equal(name, "vanban-trich-dan-ket-qua-tim-kiem.json");
  const rows = JSON.parse(bytes.toString("utf8"));
  assert.ok(rows.length > 0);
  assert.ok(rows.every((r) => typeof r.citing_path === "string" && "cited_in_index" in r));
});

await step("the missing-documents list is a page and a download", async () => {
  await page.locator("footer a", { hasText: "chưa có trong kho" }).click();
  await page.waitForLoadState("domcontentloaded");
  assert.match(await page.locator("table.list").innerText(), /25-NQ\/TW/);
  await page.screenshot({ path: join(shots, "6-missing.png") });
  const { bytes } = await download(page.locator(".missing a", { hasText: "CSV" }));
  assert.match(bytes.toString("utf8"), /^\uFEFFcited_id,/);
});

await step("the review list names the documents whose fields the machine is unsure of", async () => {
  await page.goto(base + "/");
  await page.locator("footer a", { hasText: "cần kiểm tra" }).click();
  await page.waitForLoadState("domcontentloaded");
  const list = await page.locator("main").innerText();
  assert.match(list, /\d+ văn bản có trường máy đọc chưa chắc/);
  assert.match(list, /1582\/QĐ-UBND/);
  await page.screenshot({ path: join(shots, "7-review.png"), fullPage: true });
});

await step("a clerk corrects the number beside the header of the scan, and a search finds it at once", async () => {
  await page.locator("main a", { hasText: "1582/QĐ-UBND" }).first().click();
  await page.waitForLoadState("domcontentloaded");
  const [w, h] = await imageLoaded(".header-crop img");
  assert.ok(w > 400 && h < w, `header crop ${w}x${h}`);
  const crop = await page.locator(".header-crop").boundingBox();
  const form = await page.locator(".edit-form").boundingBox();
  assert.ok(form.x > crop.x + crop.width - 5, "the form stands beside the header of the scan");
  await page.screenshot({ path: join(shots, "8-edit-form.png") });
  await page.locator(".edit-form input[name=by]").fill("Trần Thị Lan");
  await page.locator(".edit-form input[name=number]").fill("1583/QĐ-UBND");
  await page.locator(".edit-form button[type=submit]").click();
  await page.waitForLoadState("domcontentloaded");
  assert.match(await page.locator("h1").innerText(), /1583\/QĐ-UBND/);
  assert.match(await page.locator(".edit").innerText(), /do Trần Thị Lan sửa/);
  assert.match(await page.locator("table.history").innerText(), /số, ký hiệu: 1582\/QĐ-UBND → 1583\/QĐ-UBND/);
  await page.screenshot({ path: join(shots, "9-corrected.png"), fullPage: true });
  await search("1583/QĐ-UBND");
  assert.match(await page.locator(".hit h2").first().innerText(), /Quyết định 1583\/QĐ-UBND/);
  assert.match(await page.locator(".hit .badge").first().innerText(), /Văn bản gốc/);
});

await step("a wrong value is refused with the reason, and the correction is undone from the history", async () => {
  await page.locator(".hit h2 a").first().click();
  await page.waitForLoadState("domcontentloaded");
  await page.locator(".edit-form input[name=date]").fill("31/02/2025");
  const before = problems.length;
  await page.locator(".edit-form button[type=submit]").click();
  await page.waitForLoadState("domcontentloaded");
  assert.match(await page.locator("ul.errors").innerText(), /không phải là một ngày có thật/);
  // The browser logs the refusal (422) it was meant to get; that one is no problem.
  const logged = problems.splice(before);
  assert.ok(logged.every((p) => /status of 422/.test(p)), `unexpected: ${logged.join("; ")}`);
  await page.goBack();
  await page.waitForLoadState("domcontentloaded");
  await page.reload();
  const row = page.locator("table.history tr", { hasText: "1583/QĐ-UBND" });
  await row.locator("button", { hasText: "Hoàn tác" }).click();
  await page.waitForLoadState("domcontentloaded");
  assert.match(await page.locator("h1").innerText(), /1582\/QĐ-UBND/);
  assert.match(await page.locator("table.history").innerText(), /đã hoàn tác/);
  await search("1582/QĐ-UBND");
  assert.match(await page.locator(".hit .badge").first().innerText(), /Văn bản gốc/);
  await search("1583/QĐ-UBND");
  assert.ok(!(await page.locator(".hit .badge", { hasText: "Văn bản gốc" }).count()), "the undone number finds nothing of its own");
});

await step("the browser saw no errors and fetched nothing from elsewhere", async () => {
  assert.deepEqual(problems, []);
});

await context.close();
rmSync(profile, { recursive: true, force: true });
const failed = steps.filter(([, err]) => err).length;
console.log(`${steps.length - failed} passed, ${failed} failed`);
console.log(`screenshots in ${shots}`);
process.exit(failed ? 1 : 0);
