// Opens every page of one or more built Hugo sites in Debian's headless Chromium and checks what
// a reader sees: every Mermaid block drawn as a sequence-diagram SVG, no table wider than the
// content column (which must be 860 px wide), no duplicate ids, every in-page link and every
// link to another page of the site resolving, no Markdown or shortcode left unrendered, and no
// request leaving the machine (each site is served on 127.0.0.1; anything else is refused and
// reported). Keeps one screenshot per page type.
//
// Usage: node check.mjs --screenshots DIR NAME=SITE_DIR[,COLUMN_SELECTOR] ...
// Prints one JSON object per page and a summary; exits 1 on any failure.
import { createServer } from "node:http";
import { readFileSync, readdirSync, statSync, existsSync, mkdirSync } from "node:fs";
import { join, extname, relative, sep } from "node:path";
import puppeteer from "puppeteer-core";

const COLUMN_PX = 860;
const VIEWPORT = { width: 1280, height: 900 };
const TYPES = { ".html": "text/html; charset=utf-8", ".css": "text/css", ".js": "text/javascript", ".png": "image/png", ".svg": "image/svg+xml", ".json": "application/json" };

function parseArgs(argv) {
  const sites = [];
  let screenshots = null;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--screenshots") screenshots = argv[++i];
    else {
      const [name, rest] = argv[i].split("=");
      const [dir, column = "main"] = rest.split(",");
      sites.push({ name, dir, column });
    }
  }
  if (!screenshots || sites.length === 0) {
    console.error("usage: node check.mjs --screenshots DIR NAME=SITE_DIR[,COLUMN_SELECTOR] ...");
    process.exit(2);
  }
  return { sites, screenshots };
}

/** Every page of a built site: the paths of its `index.html` files, as URL paths. */
function pagesOf(dir) {
  const out = [];
  const walk = (d) => {
    for (const e of readdirSync(d).sort()) {
      const p = join(d, e);
      if (statSync(p).isDirectory()) walk(p);
      else if (e === "index.html") out.push("/" + relative(dir, d).split(sep).filter(Boolean).map((s) => s + "/").join(""));
    }
  };
  walk(dir);
  return out;
}

/** A static file server for one site on 127.0.0.1, on a free port. */
function serve(dir) {
  const server = createServer((req, res) => {
    let path = decodeURIComponent(new URL(req.url, "http://127.0.0.1").pathname);
    if (path.includes("..")) return res.writeHead(400).end();
    let file = join(dir, path);
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, "index.html");
    if (!existsSync(file)) return res.writeHead(404).end("not found");
    res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream" });
    res.end(readFileSync(file));
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

/** Runs in the page: what the checks need, measured by the browser itself. */
function measure(columnSelector) {
  const column = document.querySelector(columnSelector);
  const blocks = [...document.querySelectorAll(".mermaid")];
  const ids = {};
  for (const e of document.querySelectorAll("[id]")) ids[e.id] = (ids[e.id] ?? 0) + 1;
  const here = location.href.split("#")[0];
  const links = [...document.querySelectorAll("a[href]")].map((a) => {
    const url = new URL(a.getAttribute("href"), location.href);
    const sameDoc = url.href.split("#")[0] === here;
    return {
      href: a.getAttribute("href"),
      inPage: sameDoc && url.hash.length > 1,
      target: sameDoc ? decodeURIComponent(url.hash.slice(1)) : null,
      resolves: sameDoc && url.hash.length > 1 ? document.getElementById(decodeURIComponent(url.hash.slice(1))) !== null : null,
      sameSite: url.origin === location.origin,
      path: url.pathname,
    };
  });
  const tables = [...document.querySelectorAll("table")].map((t) => ({
    width: Math.round(t.getBoundingClientRect().width),
    columns: [...(t.rows[0]?.cells ?? [])].map((c) => Math.round(c.getBoundingClientRect().width)),
    heading: (() => { let e = t.previousElementSibling; while (e && !/^H[1-6]$/.test(e.tagName)) e = e.previousElementSibling; return e?.textContent ?? ""; })(),
  }));
  // A cell whose content cannot wrap spills out of it even when the table keeps its width.
  const overflowingCells = [...document.querySelectorAll("td, th")]
    .filter((c) => c.scrollWidth > c.clientWidth + 1)
    .map((c) => c.textContent.slice(0, 60));
  // A path broken with <wbr> must copy as written: select each such code element and compare.
  const badCopies = [];
  for (const c of [...document.querySelectorAll("code")].filter((c) => c.querySelector("wbr"))) {
    const range = document.createRange();
    range.selectNodeContents(c);
    const sel = getSelection();
    sel.removeAllRanges();
    sel.addRange(range);
    const copied = sel.toString();
    if (copied !== c.textContent || /[\n\u200b\u00ad]/.test(copied)) badCopies.push(copied);
  }
  getSelection().removeAllRanges();
  const text = document.body.innerText;
  return {
    column: column ? Math.round(column.getBoundingClientRect().width) : null,
    // Anything wider than the column (a table, a long code span in a paragraph) widens this.
    columnScroll: column ? column.scrollWidth : null,
    pageWidth: document.documentElement.scrollWidth,
    diagrams: blocks.length,
    svgs: blocks.filter((b) => b.querySelector("svg")?.getAttribute("aria-roledescription") === "sequence").length,
    diagramErrors: blocks.filter((b) => b.querySelector("svg")?.getAttribute("aria-roledescription") !== "sequence").map((b) => b.textContent.slice(0, 80)),
    duplicateIds: Object.entries(ids).filter(([, n]) => n > 1).map(([id]) => id),
    links,
    tables,
    overflowingCells,
    badCopies,
    leftovers: [
      ...(document.documentElement.innerHTML.includes("raw HTML omitted") ? ["raw HTML omitted"] : []),
      ...(/\{\{[<%]/.test(text) ? ["a Hugo shortcode"] : []),
      ...(/```/.test(text) ? ["a Markdown code fence"] : []),
      ...(/<\/?(code|wbr|pre)\b/.test(text) ? ["HTML shown as text"] : []),
      ...(/[\u200b\u00ad]/.test(text) ? ["a zero-width space or soft hyphen (it would be copied)"] : []),
    ],
    h1: document.querySelector("h1")?.textContent ?? "",
  };
}

function pageType(path) {
  const depth = path.split("/").filter(Boolean).length;
  return ["home", "section", "api"][Math.min(depth, 2)];
}

async function checkSite(browser, site, screenshots, failures) {
  const server = await serve(site.dir);
  const origin = `http://127.0.0.1:${server.address().port}`;
  const pages = pagesOf(site.dir);
  const shot = new Set();
  const results = [];
  for (const path of pages) {
    const page = await browser.newPage();
    await page.setViewport(VIEWPORT);
    const external = [];
    await page.setRequestInterception(true);
    page.on("request", (r) => {
      const u = r.url();
      if (u.startsWith(origin + "/") || u.startsWith("data:") || u.startsWith("blob:") || u === "about:blank") r.continue();
      else { external.push(u); r.abort("blockedbyclient"); }
    });
    const errors = [];
    page.on("pageerror", (e) => errors.push(String(e.message ?? e)));
    await page.goto(origin + path, { waitUntil: "load" });
    // Mermaid draws after `load`; wait until every block holds an SVG (or gives up).
    await page.waitForFunction(() => [...document.querySelectorAll(".mermaid")].every((b) => b.querySelector("svg")), { timeout: 30000 }).catch(() => {});
    const m = await page.evaluate(measure, site.column);
    const fail = [];
    const where = `${site.name} ${path}`;
    if (m.column !== COLUMN_PX) fail.push(`the content column (${site.column}) is ${m.column} px wide, not ${COLUMN_PX}`);
    if (m.columnScroll > m.column) fail.push(`something in the content column is ${m.columnScroll} px wide`);
    if (m.pageWidth > VIEWPORT.width) fail.push(`the page is ${m.pageWidth} px wide in a ${VIEWPORT.width} px window`);
    if (m.svgs !== m.diagrams) fail.push(`${m.diagrams - m.svgs} of ${m.diagrams} Mermaid blocks are not sequence-diagram SVGs: ${JSON.stringify(m.diagramErrors)}`);
    for (const t of m.tables) if (t.width > m.column) fail.push(`a table under "${t.heading}" is ${t.width} px wide (columns ${t.columns.join(", ")})`);
    for (const c of m.overflowingCells) fail.push(`a table cell's content does not fit it: "${c}"`);
    for (const c of m.badCopies.slice(0, 5)) fail.push(`a broken path copies as "${c}"`);
    if (m.duplicateIds.length) fail.push(`duplicate ids: ${m.duplicateIds.join(", ")}`);
    for (const l of m.links.filter((l) => l.inPage && !l.resolves)) fail.push(`in-page link ${l.href} points nowhere`);
    for (const l of m.links.filter((l) => !l.inPage && l.sameSite)) {
      const file = join(site.dir, decodeURIComponent(l.path), l.path.endsWith("/") ? "index.html" : "");
      if (!existsSync(file)) fail.push(`link ${l.href} points at ${l.path}, which the site does not have`);
    }
    for (const l of m.links.filter((l) => !l.sameSite)) fail.push(`link ${l.href} leaves the site`);
    for (const what of m.leftovers) fail.push(`${what} is left in the page`);
    if (external.length) fail.push(`external requests: ${external.join(", ")}`);
    if (errors.length) fail.push(`script errors: ${errors.join(" | ")}`);
    const type = pageType(path);
    const wantShot = !shot.has(type) && (type !== "api" || m.diagrams > 0);
    if (wantShot) {
      shot.add(type);
      await page.screenshot({ path: join(screenshots, `${site.name}-${type}.png`), fullPage: true });
    }
    const result = {
      site: site.name, page: path, type, diagrams: m.diagrams, svgs: m.svgs, tables: m.tables.length,
      widestTable: Math.max(0, ...m.tables.map((t) => t.width)), column: m.column,
      inPageLinks: m.links.filter((l) => l.inPage).length, externalRequests: external.length, failures: fail,
    };
    console.log(JSON.stringify(result));
    results.push(result);
    for (const f of fail) failures.push(`${where}: ${f}`);
    await page.close();
  }
  server.close();
  return results;
}

const { sites, screenshots } = parseArgs(process.argv.slice(2));
mkdirSync(screenshots, { recursive: true });
const browser = await puppeteer.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  headless: true,
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    // Belt and braces beside the request interception: no name but the loopback address resolves.
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
  ],
});
const failures = [];
const all = [];
try {
  for (const site of sites) all.push(...(await checkSite(browser, site, screenshots, failures)));
} finally {
  await browser.close();
}
const sum = (k) => all.reduce((n, r) => n + r[k], 0);
console.log(JSON.stringify({
  summary: true, pages: all.length, diagrams: sum("diagrams"), svgs: sum("svgs"), tables: sum("tables"),
  widestTable: Math.max(0, ...all.map((r) => r.widestTable)), inPageLinks: sum("inPageLinks"),
  externalRequests: sum("externalRequests"), failures: failures.length,
}));
for (const f of failures) console.error(`FAIL ${f}`);
process.exit(failures.length > 0 || all.length === 0 ? 1 : 0);
