// `npm run config -- …` as a person runs it: a child process, its output and its exit code; publish
// writes into a fresh database of its own.
import { execFile } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Deadline } from "#engine/case-state";
import { reportCase } from "#app/server/cases.server";
import type { Db } from "#app/server/db.server";
import { seedDemo } from "#app/server/seed.server";
import { seededDatabase, teardown, validDispute, type Seeded } from "./helpers";

const root = fileURLToPath(new URL("../../", import.meta.url));
const TEMPLATE = "command-room-guideline@1.0.0";
const templateFile = path.join(root, "tenants/templates", `${TEMPLATE}.json`);

type Run = { code: number; stdout: string; stderr: string; output: string };

function cli(args: string[], env: Record<string, string | undefined> = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ["--import", "tsx", "scripts/config-cli.ts", ...args],
      { cwd: root, env: { ...process.env, DATABASE_URL: undefined, ...env }, encoding: "utf8" },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
        resolve({ code, stdout, stderr, output: stdout + stderr });
      },
    );
  });
}

let dir: string;
const json = (file: string) => JSON.parse(readFileSync(file, "utf8"));
const write = (name: string, value: unknown) => {
  const file = path.join(dir, name);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(value, null, 2));
  return file;
};
const byId = (list: Array<{ id: string }>, id: string) => list.find((x) => x.id === id) as Record<string, any>;

/** A templates folder with the shipped version and a 1.2.0 (1.1.0 ships in tenants/ and is seeded) that renames the dispute category. */
function templatesWithNextVersion() {
  const templates = path.join(dir, "templates");
  mkdirSync(templates, { recursive: true });
  copyFileSync(templateFile, path.join(templates, `${TEMPLATE}.json`));
  const next = json(templateFile);
  next.version = "1.2.0";
  byId(next.categories, "dispute").name.zh = "邻里纠纷";
  const nextFile = write("templates/command-room-guideline@1.2.0.json", next);
  return { templates, next, nextFile };
}

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), "gridwork-config-cli-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("config validate", () => {
  it("accepts the shipped templates and townships (exit 0)", async () => {
    const run = await cli([
      "validate",
      "tenants/townships/east-lake.json",
      "tenants/townships/west-hill.json",
      `tenants/templates/${TEMPLATE}.json`,
    ]);
    // Only warnings, and only the published template's: its dispatch pickers offer platforms that
    // cannot read other platforms' cases; the townships append the rule that lets them (ADR 046).
    expect(run.stderr).not.toContain("townships/");
    expect(run.stderr).toContain(`! tenants/templates/${TEMPLATE}.json: 警告 / warnings (3)`);
    expect(run.stderr.match(/\[permissions\.assignee-cannot-read\]/g)).toHaveLength(3);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(
      "✓ tenants/townships/east-lake.json: 有效 / valid (township east-lake@1.0.0, extends command-room-guideline@1.0.0)",
    );
    expect(run.stdout.match(/✓/g)).toHaveLength(3);
  });

  it("refuses broken files (exit 1) with JSON pointers, codes and both languages", async () => {
    const badShape = json(path.join(root, "tenants/townships/west-hill.json"));
    badShape.version = "1";
    const badReference = json(path.join(root, "tenants/townships/west-hill.json"));
    byId(badReference.categories, "market-complaint").intakeForm = "intake-nothing";
    const shapeFile = write("bad-shape.json", badShape);
    const referenceFile = write("bad-reference.json", badReference);
    const run = await cli(["validate", shapeFile, referenceFile, "tenants/townships/east-lake.json"]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("✓ tenants/townships/east-lake.json");
    expect(run.stderr).toContain(`✗ ${shapeFile}: 配置无效 / not a valid config (1)`);
    expect(run.stderr).toContain("  /version [schema.pattern] 格式不正确 / Invalid format");
    // Items are named by id, so the path is the one to look for in the file itself.
    expect(run.stderr).toContain(`✗ ${referenceFile}: 配置无效 / not a valid config (1)`);
    expect(run.stderr).toContain(
      '  /categories/market-complaint/intakeForm [reference.missing] 表单“intake-nothing”不存在 / Form "intake-nothing" does not exist',
    );
  });

  it("refuses a township that would score one event twice, or rename its main deadline halfway, naming what to fix", async () => {
    const twice = json(path.join(root, "tenants/townships/west-hill.json"));
    twice.scoring = {
      rules: [
        { id: "revisit-bonus", name: { zh: "回访加分" }, on: "revisit.recorded", target: "lead-unit", points: 1 },
      ],
    };
    const halfway = json(path.join(root, "tenants/townships/west-hill.json"));
    halfway.mainDeadline = "dispose";
    const twiceFile = write("scored-twice.json", twice);
    const halfwayFile = write("main-deadline-halfway.json", halfway);
    const run = await cli(["validate", twiceFile, halfwayFile]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`✗ ${twiceFile}: 配置无效 / not a valid config (2)`);
    for (const result of ["satisfied", "dissatisfied"]) {
      expect(run.stderr).toContain(
        `  /scoring/rules/revisit-bonus [scoring.scored-twice] 规则“${result}”与“revisit-bonus”对同一事实（回访评价）都计分给 lead-unit`,
      );
      expect(run.stderr).toContain(
        `Rules "${result}" and "revisit-bonus" both score the same fact (Revisit recorded) for lead-unit`,
      );
    }
    expect(run.stderr).toContain(`✗ ${halfwayFile}: 配置无效 / not a valid config (1)`);
    expect(run.stderr).toContain("  /mainDeadline [deadline.main-unset] 主办理时限“dispose”没有流程设定");
    expect(run.stderr).toContain(
      'No workflow sets the main deadline "dispose" (returns, supervision sheets and principal talks go by it): set mainDeadline to one of handle, review',
    );
  });

  it("says what is wrong with usage (exit 2)", async () => {
    expect((await cli([])).code).toBe(2);
    expect((await cli(["frobnicate"])).stderr).toContain("Unknown command: frobnicate");
    expect((await cli(["validate", "--nope", "x.json"])).code).toBe(2);
  });
});

describe("config diff and resolve", () => {
  it("prints each change with its id path, in Chinese and English", async () => {
    const changed = json(path.join(root, "tenants/townships/east-lake.json"));
    byId(changed.org.units, "grid-qiaotou-2").name.zh = "桥头村第二网格（新）";
    changed.categories = [...(changed.categories ?? []), { id: "dispute", name: { zh: "邻里纠纷" } }];
    const file = write("east-lake-changed.json", changed);
    const run = await cli(["diff", "tenants/townships/east-lake.json", file]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("2 处变更 / 2 changes");
    expect(run.stdout).toContain("~ /org/units/grid-qiaotou-2/name/zh");
    expect(run.stdout).toContain("单位“桥头村第二网格”的名称（中文）：“桥头村第二网格” → “桥头村第二网格（新）”");
    expect(run.stdout).toContain('Unit "Qiaotou grid 2" › name (Chinese): "桥头村第二网格" → "桥头村第二网格（新）"');
    expect(run.stdout).toContain("类别“矛盾纠纷”的名称（中文）：“矛盾纠纷” → “邻里纠纷”");
  });

  it("resolve prints the whole config with the template merged in", async () => {
    const run = await cli(["resolve", "tenants/townships/west-hill.json"]);
    expect(run.code).toBe(0);
    const resolved = JSON.parse(run.stdout);
    expect(resolved.id).toBe("west-hill");
    expect(resolved.categories.map((c: { id: string }) => c.id)).toEqual(
      expect.arrayContaining(["dispute", "market-complaint"]),
    );
  });
});

describe("config upgrade", () => {
  it("stops at a conflict (exit 1), then writes the upgrade once the person decides", async () => {
    const { templates } = templatesWithNextVersion();
    const source = json(path.join(root, "tenants/townships/east-lake.json"));
    source.categories = [{ id: "dispute", name: { zh: "邻里矛盾" } }];
    const file = write("east-lake-upgrade.json", source);

    const conflicted = await cli(["upgrade", file, "--to", "command-room-guideline@1.2.0", "--templates", templates]);
    expect(conflicted.code).toBe(1);
    expect(conflicted.stderr).toContain("1 处冲突需要决定 / 1 conflict to decide");
    expect(conflicted.stderr).toContain("/categories/dispute/name/zh [upgrade.both-changed]");
    expect(conflicted.stderr).toContain('本镇 ours:     "邻里矛盾"');
    expect(conflicted.stderr).toContain('新模板 theirs: "邻里纠纷"');
    expect(json(file).extends).toBe(TEMPLATE);

    const decided = await cli([
      "upgrade",
      file,
      "--to",
      "command-room-guideline@1.2.0",
      "--templates",
      templates,
      "--resolve",
      "/categories/dispute/name/zh=ours",
      "--write",
    ]);
    expect(decided.stderr).toContain("written");
    expect(decided.code).toBe(0);
    const upgraded = json(file);
    expect(upgraded.extends).toBe("command-room-guideline@1.2.0");
    expect(upgraded.categories).toEqual([{ id: "dispute", name: { zh: "邻里矛盾" } }]);
    expect(upgraded.org).toEqual(source.org);
    expect((await cli(["validate", file, "--templates", templates])).code).toBe(0);
  });
});

describe("config publish", () => {
  let s: Seeded;
  let db: Db;
  let env: Record<string, string>;
  beforeAll(async () => {
    s = await seededDatabase();
    db = s.db;
    env = { DATABASE_URL: s.database.url };
  });
  afterAll(() => teardown(s));

  it("seeding published the shipped templates", async () => {
    const rows = await db.templateVersion.findMany();
    expect(rows.map((r) => [`${r.templateId}@${r.version}`, r.publishedBy])).toContainEqual([TEMPLATE, "seed"]);
  });

  it("needs --by and a database (exit 2)", async () => {
    expect((await cli(["publish", templateFile], env)).code).toBe(2);
    const noDb = await cli(["publish", templateFile, "--by", "tester"]);
    expect(noDb.code).toBe(2);
    expect(noDb.stderr).toContain("DATABASE_URL");
  });

  it("publishes a new template version once, copies its file, and refuses different content under the same version", async () => {
    const { nextFile } = templatesWithNextVersion();
    const folder = path.join(dir, "published-templates");
    mkdirSync(folder, { recursive: true });

    const first = await cli(
      [
        "publish",
        nextFile,
        "--by",
        "standards office",
        "--notes",
        "renames disputes",
        "--write-file",
        "--templates",
        folder,
      ],
      env,
    );
    expect(first.output).toContain(
      "✓ 模板 command-room-guideline@1.2.0 已发布 / template command-room-guideline@1.2.0 published",
    );
    expect(first.code).toBe(0);
    expect(readFileSync(path.join(folder, "command-room-guideline@1.2.0.json"), "utf8")).toBe(
      readFileSync(nextFile, "utf8"),
    );
    const row = await db.templateVersion.findUniqueOrThrow({
      where: { templateId_version: { templateId: "command-room-guideline", version: "1.2.0" } },
    });
    expect(row).toMatchObject({ publishedBy: "standards office", notes: "renames disputes" });
    expect(row.document).toEqual(json(nextFile));

    const again = await cli(["publish", nextFile, "--by", "someone else"], env);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain("already published with the same content");
    expect(await db.templateVersion.count({ where: { templateId: "command-room-guideline", version: "1.2.0" } })).toBe(
      1,
    );

    const altered = json(nextFile);
    byId(altered.categories, "dispute").name.zh = "民间纠纷";
    const alteredFile = write("altered/command-room-guideline@1.2.0.json", altered);
    const refused = await cli(["publish", alteredFile, "--by", "tester"], env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("[publish.version-exists]");
    expect(refused.stderr).toContain("immutable");
    expect((await db.templateVersion.findUniqueOrThrow({ where: { id: row.id } })).document).toEqual(json(nextFile));
  });

  it("publishes a township config as the tenant's next version, and nothing when it is unchanged", async () => {
    const tenant = await db.tenant.findUniqueOrThrow({ where: { code: "east-lake" } });
    const source = json(path.join(root, "tenants/townships/east-lake.json"));
    source.extends = "command-room-guideline@1.2.0";
    const file = write("east-lake-v2.json", source);

    const run = await cli(["publish", file, "--by", "east.director"], env);
    expect(run.output).toContain("version 2 of east-lake published (extends command-room-guideline@1.2.0)");
    expect(run.code).toBe(0);
    const v2 = await db.configVersion.findUniqueOrThrow({
      where: { tenantId_version: { tenantId: tenant.id, version: 2 } },
    });
    expect(v2).toMatchObject({ publishedBy: "east.director", extendsRef: "command-room-guideline@1.2.0" });
    expect(byId((v2.document as { categories: Array<{ id: string }> }).categories, "dispute").name.zh).toBe("邻里纠纷");
    expect(v2.source).toEqual(source);
    expect(await db.auditEvent.count({ where: { tenantId: tenant.id, type: "config.published" } })).toBe(1);

    const same = await cli(["publish", file, "--by", "east.director"], env);
    expect(same.code).toBe(0);
    expect(same.stdout).toContain("is the same as version 2; nothing published");
    expect(await db.configVersion.count({ where: { tenantId: tenant.id } })).toBe(2);
  });

  it("says how many open cases a changed calendar re-timed, in lines and in --json", async () => {
    // A west-hill case dispatched now: its handling deadline runs for 5 working days.
    const reported = await reportCase(
      await s.context("west.grid1", "west-hill"),
      {
        categoryId: "dispute",
        data: { ...validDispute, summary: "西山乡纠纷" },
      },
      new Date(),
    );
    if (!reported.ok) throw new Error(JSON.stringify(reported));
    for (const [transitionId, input] of [
      ["triage", { gradeId: "general" }],
      ["dispatch", { leadUnitId: "platform-safety" }],
    ] as const)
      await s.fire(reported.caseId, "west.routing", transitionId, input, new Date(), "west-hill");
    const due = async () =>
      ((await db.case.findUniqueOrThrow({ where: { id: reported.caseId } })).deadlines as Deadline[]).find(
        (d) => d.kind === "handle",
      )!.dueAt;
    const dateOf = (iso: string) => new Date(iso).toLocaleDateString("sv-SE", { timeZone: "Asia/Shanghai" });
    // The due day itself declared a day off: the deadline moves to the next working day.
    const dayOff = async (holidays: string[]) => {
      const source = json(path.join(root, "tenants/townships/west-hill.json"));
      source.calendars = { "cn-mainland": { base: "cn-mainland", holidays } };
      return write(`west-hill-${holidays.length}.json`, source);
    };
    const first = dateOf(await due());
    const run = await cli(["publish", await dayOff([first]), "--by", "west.routing"], env);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("version 2 of west-hill published");
    expect(run.stdout).toContain(
      "1 件未结事件的期限已按新日历重新计算 / due dates of 1 open case re-timed on the new calendar",
    );
    const second = dateOf(await due());
    expect(second > first).toBe(true);

    const viaJson = await cli(["publish", await dayOff([first, second]), "--by", "west.routing", "--json"], env);
    expect(viaJson.code).toBe(0);
    expect(JSON.parse(viaJson.stdout)).toEqual([
      expect.objectContaining({
        kind: "township",
        tenant: "west-hill",
        version: 3,
        status: "published",
        retimedCases: 1,
      }),
    ]);
  });

  it("refuses a township whose template is not published, or that has no tenant (exit 1)", async () => {
    const source = json(path.join(root, "tenants/townships/west-hill.json"));
    source.extends = "command-room-guideline@9.9.9";
    const run = await cli(["publish", write("west-hill-future.json", source), "--by", "tester"], env);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("/extends [extends.not-found]");

    const stranger = { ...json(path.join(root, "tenants/townships/west-hill.json")), id: "no-such-town" };
    const unknown = await cli(["publish", write("stranger.json", stranger), "--by", "tester"], env);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("[publish.tenant-not-found]");
  });

  it("the database itself refuses to change or delete a published version", async () => {
    const template = await db.templateVersion.findFirstOrThrow();
    await expect(db.templateVersion.update({ where: { id: template.id }, data: { notes: "edited" } })).rejects.toThrow(
      /immutable/,
    );
    await expect(db.templateVersion.delete({ where: { id: template.id } })).rejects.toThrow(/immutable/);
    const config = await db.configVersion.findFirstOrThrow();
    await expect(
      db.configVersion.update({ where: { id: config.id }, data: { publishedBy: "someone" } }),
    ).rejects.toThrow(/immutable/);
  });

  it("seeding again changes nothing", async () => {
    const before = await db.templateVersion.count();
    expect((await seedDemo(db, "tenants")).created).toBe(false);
    expect(await db.templateVersion.count()).toBe(before);
  });
});
