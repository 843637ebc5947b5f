import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

// The shape of the code (CONVENTIONS.md, issue 9), checked on every run so it does not erode:
// SQL lives in db/, services keep the rules, lib/domain stays pure.

const root = path.resolve(import.meta.dirname, "..");

function files(dir: string, keep: (file: string) => boolean = () => true): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const full = path.join(d, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (/\.tsx?$/.test(name) && keep(full)) out.push(full);
    }
  };
  walk(path.join(root, dir));
  return out;
}

const rel = (file: string) => path.relative(root, file);
/** Files whose text matches `pattern`, with the first matching line, for a readable failure. */
function offenders(list: string[], pattern: RegExp): string[] {
  return list.flatMap((file) => {
    const line = readFileSync(file, "utf8")
      .split("\n")
      .findIndex((l) => pattern.test(l));
    return line === -1 ? [] : [`${rel(file)}:${line + 1}`];
  });
}

// lib/notifications (the fan-out's plans, the templates, the notification mutations) is service code
// too; its integration tests seed and inspect rows with SQL of their own.
const callers = [...files("lib/services"), ...files("lib/notifications", (f) => !f.endsWith(".test.ts")), ...files("app"), ...files("components")];

describe("one home for SQL", () => {
  it("services, pages, actions, handlers and components hold no SQL text", () => {
    expect(offenders(callers, /\bsql`|sql\.raw\(|queryRows\(|\.execute\(/)).toEqual([]);
  });

  it("they build no queries either: no drizzle-orm or postgres.js imports", () => {
    expect(offenders(callers, /from "(drizzle-orm(\/[\w-]+)*|postgres)"/)).toEqual([]);
  });

  it("they take tables from db/schema only as types", () => {
    // Whole-file match: a long import is wrapped over several lines.
    const valueImports = callers.filter((file) =>
      [...readFileSync(file, "utf8").matchAll(/import\s*\{([^}]*)\}\s*from\s*"@\/db\/schema"/g)].some((m) =>
        m[1]!.split(",").some((name) => name.trim() !== "" && !name.trim().startsWith("type ")),
      ),
    );
    expect(valueImports.map(rel)).toEqual([]);
  });

  it("db/ imports nothing from lib/services", () => {
    expect(offenders(files("db"), /from "(@\/lib\/services|(\.\.\/)+lib\/services)/)).toEqual([]);
  });
});

describe("lib/domain is pure", () => {
  it("imports nothing from db, next, react, services or server-only modules", () => {
    expect(offenders(files("lib/domain"), /from "(@\/db|next|react|@\/lib\/services|server-only|postgres|drizzle-orm)[/"]/)).toEqual([]);
  });
});

describe("one rule per check", () => {
  it("UUIDs are recognised by lib/domain/ids.ts only", () => {
    const uuidPattern = /\[0-9a-f\]\{8\}-|z\.uuid\(|\.uuid\(\)/i;
    const all = [...files("lib", (f) => !f.endsWith(".test.ts")), ...files("app"), ...files("components"), ...files("db")];
    expect(offenders(all.filter((f) => rel(f) !== "lib/domain/ids.ts"), uuidPattern)).toEqual([]);
  });

  it("no e2e test waits for the network to go idle", () => {
    expect(offenders(files("e2e"), /networkidle/)).toEqual([]);
  });
});
