import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { orderStates } from "@/lib/domain/order-state";

// Rules about what pages and components say and decide, checked over their source.

const root = path.resolve(import.meta.dirname, "..");

function sourceFiles(dir: string): string[] {
  return readdirSync(path.join(root, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.tsx?$/.test(e.name) && !/\.test\.tsx?$/.test(e.name))
    .map((e) => path.relative(root, path.join(e.parentPath, e.name)));
}

const uiFiles = [...sourceFiles("app"), ...sourceFiles("components")];

/** Every line of the UI source matching `pattern`, as "file:line: text", imports left out. */
function matches(pattern: RegExp, files = uiFiles): string[] {
  const found: string[] = [];
  for (const file of files) {
    readFileSync(path.join(root, file), "utf8")
      .split("\n")
      .forEach((line, i) => {
        if (!/^\s*import\b/.test(line) && pattern.test(line)) found.push(`${file}:${i + 1}: ${line.trim()}`);
      });
  }
  return found;
}

describe("UI source rules", () => {
  it('spells it "catalogue" in user-visible text (identifiers, paths and permission keys keep "catalog")', () => {
    // A standalone word: not part of an identifier (searchCatalog), a path (/catalog-preview), a key (catalog.browse), an API scope (catalog:read) or a test id.
    expect(matches(/(?<![\w/.-])catalog(?![\w/:-]|\.[a-z])/i)).toEqual([]);
  });

  it("keeps no list of order states of its own: pages ask the state machine (canTransition)", () => {
    const state = `"(?:${orderStates.join("|")})"`;
    expect(matches(new RegExp(`OrderState\\[\\]\\s*=|\\[\\s*${state}\\s*,\\s*${state}`))).toEqual([]);
  });
});
