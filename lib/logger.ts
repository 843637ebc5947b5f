import { env } from "@/lib/env";

// Structured one-line JSON logs on stderr/stdout; errors keep their stack for operators, never for users.
type Level = "debug" | "info" | "warn" | "error";
const order: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

function serialise(value: unknown): unknown {
  if (value instanceof Error) return { name: value.name, message: value.message, stack: value.stack, cause: serialise(value.cause) };
  if (typeof value === "bigint") return value.toString();
  return value;
}

function write(level: Level, message: string, fields: Record<string, unknown> = {}): void {
  let min: Level = "info";
  try {
    min = env().LOG_LEVEL;
  } catch {
    // configuration errors are reported elsewhere; logging must still work
  }
  if (order[level] < order[min]) return;
  const entry: Record<string, unknown> = { level, time: new Date().toISOString(), message };
  for (const [k, v] of Object.entries(fields)) entry[k] = serialise(v);
  const line = JSON.stringify(entry);
  if (level === "error" || level === "warn") console.error(line);
  else console.log(line);
}

export const logger = {
  debug: (m: string, f?: Record<string, unknown>) => write("debug", m, f),
  info: (m: string, f?: Record<string, unknown>) => write("info", m, f),
  warn: (m: string, f?: Record<string, unknown>) => write("warn", m, f),
  error: (m: string, f?: Record<string, unknown>) => write("error", m, f),
};
