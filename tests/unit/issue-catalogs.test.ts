// Engine issues carry a code and values; app/locales/issues/ renders them per language (ADR 043).
// Every code the engine emits has a text in every catalog, and counts use the language's plurals.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ISSUE_CATALOGS, issueMessage, renderIssue, withMessage } from "#app/locales/issues/index";
import { LOCALES } from "#app/locales/index";
import { issue, issueText, textIssue } from "#engine/issues";
import { validateTownshipConfig } from "#engine/config/validate";
import { demoConfig } from "#tests/engine/helpers";

const root = path.resolve(import.meta.dirname, "../..");

function engineFiles(dir = "engine"): string[] {
  return readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = `${dir}/${e.name}`;
    if (e.isDirectory()) return engineFiles(rel);
    return e.name.endsWith(".ts") ? [rel] : [];
  });
}

// The first argument of issue() (a pointer string, a token array, a call or a name), then the code.
const PATH_ARG = String.raw`(?:"[^"]*"|\x60[^\x60]*\x60|\[[^\]]*\]|[\w.]+\((?:[^()]|\([^()]*\))*\)|[\w.]+)`;
const ISSUE_CALL = new RegExp(String.raw`\bissue\(\s*${PATH_ARG}\s*,\s*"([^"]+)"`, "g");
const TEXT_CALL = /\bissueText\(\s*"([^"]+)"/g;

/** The codes engine/ passes as literals to issue() and issueText(). */
function emittedCodes(): Map<string, string> {
  const codes = new Map<string, string>();
  for (const file of engineFiles()) {
    const text = readFileSync(path.join(root, file), "utf8");
    for (const re of [ISSUE_CALL, TEXT_CALL])
      for (const m of text.matchAll(re)) if (!codes.has(m[1]!)) codes.set(m[1]!, file);
  }
  return codes;
}

describe("issue catalogs", () => {
  it("finds the codes in issue(path, code, …) calls", () => {
    const sample = 'out.push(issue(pointer("a", i), "x.one", { id })); issue(["a", 1], "x.two"); issueText("x.three")';
    expect([...sample.matchAll(ISSUE_CALL), ...sample.matchAll(TEXT_CALL)].map((m) => m[1])).toEqual([
      "x.one",
      "x.two",
      "x.three",
    ]);
  });

  it("has a text in every language for every code the engine emits", () => {
    const codes = emittedCodes();
    // The validator, checks, migrations, upgrades, limits, onboarding and the form designer.
    expect(codes.size).toBeGreaterThan(90);
    for (const locale of LOCALES) {
      const missing = [...codes].filter(([code]) => !Object.hasOwn(ISSUE_CATALOGS[locale], code));
      expect(missing, locale).toEqual([]);
    }
  });

  it("has the same codes in every language, each a message the formatter reads", () => {
    const keys = Object.keys(ISSUE_CATALOGS["zh-CN"]).sort();
    for (const locale of LOCALES) {
      expect(Object.keys(ISSUE_CATALOGS[locale]).sort()).toEqual(keys);
      for (const code of keys) expect(() => renderIssue(locale, { code }), `${locale} ${code}`).not.toThrow();
    }
  });

  it("says one case and three cases in English, and 件 in Chinese", () => {
    const unmapped = (cases: number) =>
      issue("/mapping/x", "migrate.state-unmapped", { at: "mapping", name: { zh: "处置中", en: "Handling" }, cases });
    expect(renderIssue("en", unmapped(1))).toBe(
      'The new version has no state "Handling" (1 case): choose the state they move to',
    );
    expect(renderIssue("en", unmapped(3))).toBe(
      'The new version has no state "Handling" (3 cases): choose the state they move to',
    );
    expect(renderIssue("zh-CN", unmapped(1))).toBe("新版本没有状态“处置中”（1 件）：请选择这些事件迁入的状态");
  });

  it("renders a message nested in another, with its own plural", () => {
    const days = (amount: number) => issueText("duration", { amount, unit: "workingDays" });
    const changed = issueText("migrate.deadline-changed", { from: days(1), to: days(10) });
    expect(issueMessage(changed)).toEqual({
      zh: "新版本的时限由 1 个工作日改为 10 个工作日，自原起始时间重新计算",
      en: "The new version gives 10 working days instead of 1 working day; recomputed from the deadline's start",
    });
  });

  it("shows what a person reads for a validator's issues, in both languages", () => {
    const config = demoConfig();
    config.dutyRota.post = "night-watch";
    config.timeZone = "Mars/Olympus";
    const v = validateTownshipConfig(config);
    expect(v.ok).toBe(false);
    if (v.ok) return;
    expect(v.issues.map(withMessage)).toEqual(
      expect.arrayContaining([
        {
          path: "/dutyRota/post",
          code: "reference.missing",
          params: { what: "post", ref: "night-watch" },
          message: { zh: "岗位“night-watch”不存在", en: 'Post "night-watch" does not exist' },
        },
        expect.objectContaining({
          code: "time-zone.unknown",
          message: {
            zh: "未知的时区“Mars/Olympus”，请用 IANA 名称，如 Asia/Shanghai",
            en: 'Unknown time zone "Mars/Olympus"; use an IANA name such as Asia/Shanghai',
          },
        }),
      ]),
    );
  });

  it("picks each language's config name and joins lists its own way", () => {
    const kinds = issue("/x", "onboarding.unit-kind", {
      post: { zh: "网格员", en: "Grid worker" },
      kinds: ["grid", "village"],
      unit: { zh: "指挥室" },
    });
    expect(issueMessage(kinds)).toEqual({
      zh: "岗位“网格员”须在grid、village类单位中，“指挥室”不是",
      en: 'Post "Grid worker" belongs in a unit of kind grid, village; "指挥室" is not',
    });
  });

  it("shows text fixed at the source as it is, and an unknown code as the code", () => {
    expect(renderIssue("en", textIssue("/a", "schema.required", "此项为必填项", "This field is required"))).toBe(
      "This field is required",
    );
    expect(renderIssue("zh-CN", { code: "gone.from-this-release", params: {} })).toBe("gone.from-this-release");
  });
});
