// Opens searchable PDFs in Debian Chromium's own PDF viewer (PDFium), headless, as a clerk
// would in a browser, and gets the text the viewer selects with "select all": what its
// find bar searches and what copying gives.
//
// Run by tests/pdf_viewer.rs:  node pdf_viewer.mjs OUT.json A.pdf [B.pdf …]
// Writes {"A.pdf": "text the viewer selected", …} to OUT.json, and a screenshot of each
// PDF in the viewer beside it (OUT.json's folder). The embedding page asks the viewer for
// its text through the viewer's scripting messages (selectAll, getSelectedText), the ones
// Chromium's PDF viewer answers for the page that embeds it.

import { chromium } from "playwright-core";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import http from "node:http";

const [outJson, ...pdfs] = process.argv.slice(2);
if (!outJson || pdfs.length === 0) {
  console.error("usage: node pdf_viewer.mjs OUT.json A.pdf [B.pdf …]");
  process.exit(2);
}

// One loopback server: /N.pdf is the Nth PDF, /N the page embedding it.
const server = http.createServer((req, res) => {
  const m = req.url.match(/^\/(\d+)(\.pdf)?$/);
  const n = m ? Number(m[1]) : -1;
  if (!(n >= 0 && n < pdfs.length)) {
    res.writeHead(404).end();
  } else if (m[2]) {
    res.writeHead(200, { "content-type": "application/pdf" }).end(readFileSync(pdfs[n]));
  } else {
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(
      `<!doctype html><meta charset="utf-8"><title>pdf</title>
       <embed id="pdf" src="/${n}.pdf" type="application/pdf" width="900" height="1200">
       <script>window.replies = []; addEventListener("message", (e) => window.replies.push(e.data));</script>`,
    );
  }
});
await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
const port = server.address().port;

const profile = mkdtempSync(join(tmpdir(), "vanban-pdf-viewer-"));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  headless: true,
  args: ["--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update"],
  viewport: { width: 1000, height: 1300 },
});
const page = context.pages()[0] ?? (await context.newPage());
const seen = {};
let failed = false;
for (const [n, pdf] of pdfs.entries()) {
  await page.goto(`http://127.0.0.1:${port}/${n}`);
  // The viewer loads the document asynchronously: ask until it answers with text.
  let text = null;
  for (let attempt = 0; attempt < 30 && text === null; attempt++) {
    await page.waitForTimeout(1000);
    text = await page.evaluate(() => {
      const embed = document.getElementById("pdf");
      const reply = window.replies.filter((r) => r && typeof r.selectedText === "string" && r.selectedText.length > 0).pop();
      embed.postMessage({ type: "selectAll" });
      embed.postMessage({ type: "getSelectedText" });
      return reply ? reply.selectedText : null;
    });
  }
  await page.screenshot({ path: join(dirname(outJson), `${basename(pdf)}.viewer.png`) });
  if (text === null) {
    console.error(`${pdf}: Chromium's PDF viewer gave no text in 30 s`);
    failed = true;
  }
  seen[pdf] = text;
}
writeFileSync(outJson, JSON.stringify(seen));
await context.close();
server.close();
process.exit(failed ? 1 : 0);
