// Who may appeal which ledger line: the one rule (appealRefusal) the scores page asks to offer the
// link and decideAppeal applies when the appeal is filed, so the link never leads to a refusal.
import { describe, expect, it } from "vitest";
import { appealRefusal, appealStands, decideAppeal, mayAppeal, type AppealableLine } from "#engine/appeal";
import type { Actor } from "#engine/permissions";
import { east, eastLake, local } from "./workflow-helpers";
import { issueMessage } from "#app/locales/issues/index";

const compiled = eastLake();
const deduction: AppealableLine = {
  rule: "returned",
  target: { kind: "unit", id: "village-qiaotou" },
  points: -1,
  at: local("2025-03-17 10:00"),
  caseId: "c1",
  dedupeKey: "score:east-lake:returned:13:unit:village-qiaotou",
};
const personal: AppealableLine = {
  ...deduction,
  rule: "review-late",
  target: { kind: "user", id: "u-routing" },
  dedupeKey: "score:east-lake:review-late:14:user:u-routing",
};
const withoutAppeals = { ...compiled, config: { ...compiled.config, scoring: { rules: [] } } };

type Row = {
  name: string;
  actor: Actor;
  line: AppealableLine | undefined;
  appealed?: boolean;
  config?: typeof compiled;
  code: string | null;
};
const rows: Row[] = [
  { name: "a member of the unit it names", actor: east.village, line: deduction, code: null },
  { name: "the person it names", actor: east.routing, line: personal, code: null },
  { name: "someone in another unit", actor: east.routing, line: deduction, code: "appeal.not-yours" },
  { name: "a colleague of the person it names", actor: east.director, line: personal, code: "appeal.not-yours" },
  { name: "an addition", actor: east.village, line: { ...deduction, points: 0.5 }, code: "appeal.not-a-deduction" },
  {
    name: "an appeal's reversal",
    actor: east.village,
    line: { ...deduction, points: 1, reverses: deduction.dedupeKey, dedupeKey: `${deduction.dedupeKey}:reversed` },
    code: "appeal.not-a-deduction",
  },
  {
    name: "a recompute's correction",
    actor: east.village,
    line: { ...deduction, points: -2, reverses: deduction.dedupeKey, dedupeKey: `${deduction.dedupeKey}:recompute:v2` },
    code: "appeal.correction",
  },
  { name: "a line already appealed", actor: east.village, line: deduction, appealed: true, code: "appeal.duplicate" },
  { name: "a line the ledger lacks", actor: east.village, line: undefined, code: "appeal.entry-unknown" },
  {
    name: "a township without appeals",
    actor: east.village,
    line: deduction,
    config: withoutAppeals,
    code: "appeal.not-configured",
  },
];

describe("who may appeal a line", () => {
  it.each(rows)("$name: $code", ({ actor, line, appealed = false, config = compiled, code }) => {
    const refused = appealRefusal(config, actor, line, appealed);
    expect(refused?.issues.map((i) => i.code)[0] ?? null).toBe(code);
    expect(mayAppeal(config, actor, line, appealed)).toBe(code === null);
    // Every refusal is told in both languages.
    for (const i of refused?.issues ?? []) expect(issueMessage(i).zh && issueMessage(i).en).toBeTruthy();
  });

  it.each(rows)("filing agrees with the link: $name", ({ actor, line, appealed = false, config = compiled, code }) => {
    const decision = decideAppeal(
      {
        compiled: config,
        configVersion: 1,
        actor,
        now: local("2025-04-01 09:00"),
        caseId: "appeal-1",
        disputed: line,
        alreadyAppealed: appealed,
      },
      { scoreKey: line?.dedupeKey ?? "score:east-lake:none:1:unit:x", reason: "超期系台风停工所致" },
    );
    expect(decision.ok ? null : decision.refusal.issues[0]!.code).toBe(code);
  });
});

describe("an appeal that stands against its line", () => {
  it.each([
    ["submitted", true],
    ["upheld", true],
    ["rejected", true],
    ["withdrawn", false],
  ])("%s: %s", (state, stands) => {
    expect(appealStands(compiled, state)).toBe(stands);
  });

  it("none where appeals are not set up", () => {
    expect(appealStands(withoutAppeals, "submitted")).toBe(false);
  });
});
