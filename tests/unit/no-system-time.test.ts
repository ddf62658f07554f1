// Time comes from one injected clock (ADR 036): a request guard or a job reads it once and passes
// `now` down. A `new Date()` with no argument anywhere else in app/ or engine/ is the drift this
// catches; parsing (`new Date(value)`) is fine.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "../..");
/** The adapter is the one place that asks the system. */
const ALLOWED = new Set(["app/server/clock.server.ts"]);
const SYSTEM_TIME = /\bnew Date\(\s*\)/;

function sourceFiles(dir: string): string[] {
  return readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = `${dir}/${e.name}`;
    if (e.isDirectory()) return e.name === "generated" ? [] : sourceFiles(rel);
    return /\.(ts|tsx|mjs)$/.test(e.name) ? [rel] : [];
  });
}

/** `file:line` of each no-argument `new Date()` in code (comments aside). */
function systemTimeReads(file: string, text: string): string[] {
  return text.split("\n").flatMap((line, i) => {
    const code = line.trimStart();
    if (code.startsWith("//") || code.startsWith("*")) return [];
    return SYSTEM_TIME.test(line) ? [`${file}:${i + 1}`] : [];
  });
}

describe("system time", () => {
  it.each([
    ["const now = new Date();", 1],
    ["f(db, new Date( ))", 1],
    ["const at = new Date(value);", 0],
    ["// new Date() in a comment", 0],
  ])("finds a read of the system clock in %j", (line, count) => {
    expect(systemTimeReads("x.ts", line)).toHaveLength(count);
  });

  it("is read only through the clock adapter in app/ and engine/", () => {
    const places = [...sourceFiles("app"), ...sourceFiles("engine")]
      .filter((file) => !ALLOWED.has(file))
      .flatMap((file) => systemTimeReads(file, readFileSync(path.join(root, file), "utf8")));
    expect(places, "take `now` from the request's context or the job's clock (ADR 036)").toEqual([]);
  });
});
