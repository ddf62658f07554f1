// One module per config action (docs/decisions/028-one-module-per-action.md): each action in
// engine/actions/ brings its params schema, places, checks, behaviour and fact, and the validator,
// decide() and scoring read the registry, so changing one action touches its module only.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ACTION_FACTS, ACTIONS, actionOf, type ActionName, type Place } from "#engine/actions";
import { createAjv } from "#engine/ajv";
import { validateTownshipConfig } from "#engine/config/validate";
import { isFactName } from "#engine/scoring";
import { demoConfig } from "./helpers";

const root = join(__dirname, "../..");
const names = Object.keys(ACTIONS) as ActionName[];
const PLACES: Place[] = ["transition", "ladder", "intake"];

/** The demo config with one action put at one place: the first transition, the standard policy's ladder, or the first workflow's intake. */
function configWith(place: Place, spec: { type: string; params?: Record<string, unknown> }) {
  const c = demoConfig();
  if (place === "transition") c.workflows["case-loop"].transitions[0].effects = [spec];
  else if (place === "ladder") c.deadlinePolicies.standard.overdueLadder = [spec];
  else c.workflows["case-loop"].onIntake = [spec];
  return c;
}
const pathOf = (place: Place) =>
  ({
    transition: "/workflows/case-loop/transitions/0/effects/0",
    ladder: "/deadlinePolicies/standard/overdueLadder/0",
    intake: "/workflows/case-loop/onIntake/0",
  })[place];

describe("every action is one complete module", () => {
  it.each(names)("%s lives in engine/actions/<name>.ts and brings schema, places and behaviour", async (name) => {
    const file = join(root, "engine/actions", `${name}.ts`);
    expect(existsSync(file)).toBe(true);
    expect((await import(file)).default).toBe(ACTIONS[name]);
    const action = actionOf(name);
    expect(() => createAjv().compile(action.params)).not.toThrow();
    expect(action.places.length).toBeGreaterThan(0);
    expect(action.places.every((p) => PLACES.includes(p))).toBe(true);
    expect(typeof action.run).toBe("function");
    if (action.places.includes("intake")) expect(typeof action.intake).toBe("function");
    if (action.fact !== undefined) expect(isFactName(action.fact)).toBe(true);
  });

  it("the registry lists every module in engine/actions/", () => {
    const modules = readdirSync(join(root, "engine/actions"))
      .filter((f) => f.endsWith(".ts") && f !== "index.ts" && f !== "kit.ts")
      .map((f) => f.replace(/\.ts$/, ""));
    expect(modules.sort()).toEqual([...names].sort());
  });

  it("which fact an action yields comes from its module", () => {
    expect(ACTION_FACTS).toEqual(
      Object.fromEntries(names.flatMap((n) => (actionOf(n).fact ? [[n, actionOf(n).fact]] : []))),
    );
    expect(ACTION_FACTS["principal-talk"]).toBe("supervision.talk-ordered");
  });

  it("the interpreter, intake, validator and scoring branch on no action's name", () => {
    const files = [
      "workflow.ts",
      "intake.ts",
      "appeal.ts",
      "supervision.ts",
      "config/checks-workflow.ts",
      "config/validate.ts",
      "scoring/trail.ts",
    ];
    const named = files.flatMap((f) => {
      const source = readFileSync(join(root, "engine", f), "utf8");
      return names
        .filter((name) => new RegExp(`(===\\s*|case\\s+)["'\`]${name}["'\`]`).test(source))
        .map((name) => `${f}: ${name}`);
    });
    expect(named).toEqual([]);
  });
});

describe("the validator reads each action's module", () => {
  it.each(names.flatMap((name) => PLACES.map((place) => ({ name, place }))))(
    "$name in $place: allowed exactly where its module says",
    ({ name, place }) => {
      const result = validateTownshipConfig(configWith(place, { type: name, params: {} }));
      const issues = result.ok ? [] : result.issues;
      const placeIssue = issues.find((i) => i.path === `${pathOf(place)}/type` && i.code === "effect.place");
      expect(placeIssue !== undefined, JSON.stringify(issues.map((i) => `${i.path} ${i.code}`))).toBe(
        !actionOf(name).places.includes(place),
      );
    },
  );

  it.each(names)("%s: params outside its schema are refused at the action", (name) => {
    const place = actionOf(name).places[0]!;
    const result = validateTownshipConfig(configWith(place, { type: name, params: { notAParam: true } }));
    expect(result.ok).toBe(false);
    const issues = result.ok ? [] : result.issues;
    expect(issues.some((i) => i.path.startsWith(`${pathOf(place)}/params`) && i.code.startsWith("params."))).toBe(true);
  });

  it("an action's own semantic check runs: principal-talk naming an unknown post", () => {
    const result = validateTownshipConfig(
      configWith("transition", { type: "principal-talk", params: { principal: "no-such-post" } }),
    );
    expect(result.ok).toBe(false);
    expect(result.ok ? [] : result.issues.map((i) => `${i.path} ${i.code}`)).toContain(
      `${pathOf("transition")}/params/principal reference.missing`,
    );
  });
});
