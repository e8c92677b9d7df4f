// Parses every Mermaid block of the mapping pages (a raw `<pre class="mermaid">`, entities decoded
// as the browser does) with Mermaid's own parser and requires a sequence diagram.
// Usage: node check.mjs DIR (the pages' directory). Exits 1 on any failure.
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import mermaid from "mermaid";

const dir = process.argv[2];
let blocks = 0;
let failures = 0;
for (const name of readdirSync(dir).filter((f) => f.endsWith(".md")).sort()) {
  const text = readFileSync(join(dir, name), "utf8");
  for (const m of text.matchAll(/^<pre class="mermaid">\n([\s\S]*?)^<\/pre>$/gm)) {
    blocks += 1;
    const line = text.slice(0, m.index).split("\n").length;
    const source = m[1].replaceAll("&lt;", "<").replaceAll("&gt;", ">").replaceAll("&amp;", "&");
    try {
      const r = await mermaid.parse(source);
      if (r.diagramType !== "sequence") throw new Error(`a ${r.diagramType} diagram, expected sequence`);
    } catch (e) {
      failures += 1;
      console.error(`${name}:${line}: ${String(e.message).split("\n").slice(0, 3).join(" ")}`);
    }
  }
}
console.log(`mermaid: ${blocks - failures} passed, ${failures} failed`);
process.exit(failures > 0 || blocks === 0 ? 1 : 0);
