// After `NEXT_OUTPUT=standalone next build`: does the PDF worker start and render from the
// standalone folder alone? It is copied to a temporary folder first, so that nothing missing from
// it can be found in the project's own node_modules by Node's upward module lookup.
//   npx tsx lib/bench/pdf-standalone-check.ts [.next/standalone]
import { cpSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { createPdfPool } from "../pdf/render";
import { sampleDocument } from "../pdf/sample-data";

export async function pdfStandaloneCheck(standaloneDir = ".next/standalone"): Promise<void> {
  if (!existsSync(path.join(standaloneDir, "server.js"))) throw new Error(`${standaloneDir} holds no standalone build (server.js)`);
  const copy = mkdtempSync(path.join(os.tmpdir(), "pdf-standalone-"));
  cpSync(standaloneDir, copy, { recursive: true });
  const pool = createPdfPool({ size: 1, root: copy, startTimeoutMs: 30_000 });
  try {
    const pdf = await pool.render(sampleDocument("invoice", 40));
    console.log(`PDF from the standalone output: ${pdf.length} bytes, starts with ${JSON.stringify(pdf.subarray(0, 5).toString())}`);
  } finally {
    await pool.close();
    rmSync(copy, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  await pdfStandaloneCheck(process.argv[2]);
}
