// The lint step of `npm test` (ADR 033) refuses the drift it exists for: relative imports across
// folders, engine code reaching into the app, and exports nobody uses.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "../..");
const bin = (name: string) => path.join(root, "node_modules", ".bin", name);

/** Lints `source` as the file at `file` of a scratch copy of this project, with the project's Biome config. */
function biomeLint(file: string, source: string) {
  const dir = mkdtempSync(path.join(tmpdir(), "gw-biome-"));
  const config = JSON.parse(readFileSync(path.join(root, "biome.json"), "utf8"));
  delete config.$schema;
  config.vcs = { enabled: false };
  writeFileSync(path.join(dir, "biome.json"), JSON.stringify(config));
  mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
  writeFileSync(path.join(dir, file), source);
  const run = spawnSync(bin("biome"), ["lint", file], { cwd: dir, encoding: "utf8" });
  return { status: run.status, output: run.stdout + run.stderr };
}

describe("biome", () => {
  it.each([
    ["app/server/x.server.ts", 'import { decide } from "../../engine/workflow";\nexport const d = decide;\n', "alias"],
    [
      "app/server/x.server.ts",
      'import { decide } from "#engine/workflow.ts";\nexport const d = decide;\n',
      ".ts extension",
    ],
    ["engine/x.ts", 'import { db } from "#app/server/db.server";\nexport const d = db;\n', "engine/ is pure"],
    [
      "engine/x.ts",
      'import { PrismaClient } from "@prisma/client";\nexport const d = PrismaClient;\n',
      "engine/ is pure",
    ],
  ])("refuses %s importing as in %j", (file, source, message) => {
    const run = biomeLint(file, source);
    expect(run.status).not.toBe(0);
    expect(run.output).toContain(message);
  });

  it("accepts the convention: aliases across folders, ./ within one", () => {
    const source =
      'import { decide } from "#engine/workflow";\nimport { x } from "./y";\nexport const d = [decide, x];\n';
    expect(biomeLint("app/server/x.server.ts", source).status).toBe(0);
  });
});

describe("knip", () => {
  it("fails on an export nobody imports", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "gw-knip-"));
    mkdirSync(path.join(dir, "src"));
    writeFileSync(
      path.join(dir, "package.json"),
      JSON.stringify({ name: "probe", type: "module", main: "src/index.ts" }),
    );
    writeFileSync(path.join(dir, "src/index.ts"), 'export { used } from "./a";\n');
    writeFileSync(path.join(dir, "src/a.ts"), "export const used = 1;\nexport const forgotten = 2;\n");
    const run = spawnSync(bin("knip"), ["--directory", dir, "--no-progress"], { cwd: root, encoding: "utf8" });
    expect(run.status).not.toBe(0);
    expect(run.stdout).toMatch(/forgotten\s+src\/a\.ts/);
  });

  it("runs in npm test before the type check", () => {
    const pkg = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")) as {
      scripts: Record<string, string>;
    };
    expect(pkg.scripts.test).toMatch(/^npm run lint && npm run typecheck/);
    expect(pkg.scripts.lint).toContain("biome check");
    expect(pkg.scripts.lint).toContain("knip");
  });
});
