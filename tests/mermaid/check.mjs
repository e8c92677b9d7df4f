// Parses every ```mermaid block of the mapping pages with Mermaid's own parser and requires a
// sequence diagram. Usage: node check.mjs DIR (the pages' directory). Exits 1 on any failure.
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import mermaid from "mermaid";

const dir = process.argv[2];
let blocks = 0;
let failures = 0;
for (const name of readdirSync(dir).filter((f) => f.endsWith(".md")).sort()) {
  const text = readFileSync(join(dir, name), "utf8");
  for (const m of text.matchAll(/^```mermaid\n([\s\S]*?)^```$/gm)) {
    blocks += 1;
    const line = text.slice(0, m.index).split("\n").length;
    try {
      const r = await mermaid.parse(m[1]);
      if (r.diagramType !== "sequence") throw new Error(`a ${r.diagramType} diagram, expected sequence`);
    } catch (e) {
      failures += 1;
      console.error(`${name}:${line}: ${String(e.message).split("\n").slice(0, 3).join(" ")}`);
    }
  }
}
console.log(`mermaid: ${blocks - failures} passed, ${failures} failed`);
process.exit(failures > 0 || blocks === 0 ? 1 : 0);
