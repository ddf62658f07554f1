// Shared by the workflow, supervision, rota and wartime tests: the shipped configs compiled with
// the shipped calendar (the engine reads no files, so the test passes the calendar data in the
// way the server does), case and actor builders, and a simulated clock.
import { expect } from "vitest";
import { parseCalendarFile } from "#engine/calendar";
import type { ActorContext, CaseState, Mode } from "#engine/case-state";
import { calendarBasesNeeded, compileConfig, type CompiledConfig } from "#engine/config/compile";
import { resolveConfig } from "#engine/config/resolve";
import { validateTownshipConfig } from "#engine/config/validate";
import type { Outcome } from "#engine/outcomes";
import { decide, type Decision } from "#engine/workflow";
import { readTenantJson, templateLookup, type MutableConfig } from "./helpers";
import { issueMessage } from "#app/locales/issues/index";

export const cnMainland = parseCalendarFile(readTenantJson("calendars/cn-mainland.json"));

/** Validates and compiles a resolved config with the shipped calendars; throws on issues. */
export function compileWithCalendars(config: unknown): CompiledConfig {
  const validation = validateTownshipConfig(config);
  if (!validation.ok)
    throw new Error(
      `config is not valid:\n${validation.issues.map((i) => `${i.path} ${i.code}: ${issueMessage(i).en}`).join("\n")}`,
    );
  const bases = Object.fromEntries(
    calendarBasesNeeded(validation.config).map((id) => [id, id === "cn-mainland" ? cnMainland : undefined]),
  );
  return compileConfig(validation.config, { calendarBases: bases as Record<string, typeof cnMainland> });
}

/** A shipped file under tenants/ (a township or a template), resolved as JSON to edit. */
export function resolvedJson(file: string): MutableConfig {
  const resolved = resolveConfig(readTenantJson(file), templateLookup);
  if (!resolved.ok) throw new Error(resolved.issues.map((i) => issueMessage(i).en).join("\n"));
  return structuredClone(resolved.value) as MutableConfig;
}

export const eastLake = () => compileWithCalendars(resolvedJson("townships/east-lake.json"));
export const zhoushan = () => compileWithCalendars(resolvedJson("templates/zhoushan-141@1.0.0.json"));

let caseSeq = 0;
/** A case just reported in east-lake (state `reported`), with overrides. */
export function newCase(compiled: CompiledConfig, over: Partial<CaseState> & { categoryId?: string } = {}): CaseState {
  const category = compiled.categories.get(over.categoryId ?? "dispute")!;
  const workflow = compiled.workflows.get(category.workflow)!;
  return {
    id: over.id ?? `case-${String(++caseSeq).padStart(4, "0")}`,
    tenantId: compiled.config.id,
    version: 1,
    workflowId: category.workflow,
    state: workflow.initial,
    gradeId: category.defaultGrade,
    categoryId: category.id,
    platformId: category.platform,
    orgUnitId: "grid-qiaotou-1",
    reporterId: "u-reporter",
    assignment: { assistUnitIds: [] },
    deadlines: [],
    mode: "peacetime",
    data: { summary: "邻里噪音纠纷" },
    ...over,
  };
}

export function person(
  tenantId: string,
  userId: string,
  unitId: string,
  posts: string[],
  extra: Partial<ActorContext> = {},
): ActorContext {
  return { userId, tenantId, unitId, posts, kind: "township", ...extra };
}

/** The east-lake cast. */
export const east = {
  routing: person("east-lake", "u-routing", "command-room", ["routing"]),
  analyst: person("east-lake", "u-analyst", "command-room", ["analysis"]),
  inspector: person("east-lake", "u-inspector", "command-room", ["inspection"]),
  director: person("east-lake", "u-director", "command-room", ["director"]),
  deputy: person("east-lake", "u-deputy", "command-room", ["executive-deputy"]),
  deputyOnDuty: person("east-lake", "u-deputy", "command-room", ["executive-deputy"], { isDutyLeaderToday: true }),
  village: person("east-lake", "u-village", "village-qiaotou", ["village-station"]),
  grid: person("east-lake", "u-grid", "grid-qiaotou-1", ["grid-worker"]),
  reporter: person("east-lake", "u-reporter", "grid-qiaotou-1", ["grid-worker"]),
  police: person("east-lake", "u-police", "police-station", []),
  county: {
    userId: "u-county",
    tenantId: "demo-county",
    unitId: "county-centre",
    posts: [],
    kind: "county",
  } as ActorContext,
  otherTownship: person("west-hill", "u-west", "command-room", ["routing"]),
};

/** Instants written in Asia/Shanghai local time: `local("2025-03-03 10:00")`. */
export function local(text: string): Date {
  return new Date(text.replace(" ", "T") + ":00+08:00");
}

/** A simulated clock: tests move it explicitly; nothing reads the real time. */
export class SimulatedClock {
  constructor(private current: Date) {}
  now(): Date {
    return new Date(this.current.getTime());
  }
  set(at: Date) {
    this.current = new Date(at.getTime());
  }
  advance(ms: number) {
    this.current = new Date(this.current.getTime() + ms);
  }
}

export function expectOk(decision: Decision) {
  if (!decision.ok) throw new Error(`expected ok, got ${JSON.stringify(decision.refusal)}`);
  return decision;
}

export function expectRefusal(decision: Decision) {
  if (decision.ok) throw new Error(`expected a refusal, got state ${decision.next.state}`);
  return decision.refusal;
}

/** Fires a transition on the case's current version and returns the accepted decision. */
export function fire(
  compiled: CompiledConfig,
  state: CaseState,
  transitionId: string,
  actor: ActorContext,
  now: Date,
  input?: unknown,
) {
  return expectOk(
    decide(compiled, state, { type: "transition", transitionId, input, expectedVersion: state.version }, actor, now),
  );
}

export const types = (effects: Outcome[]) => effects.map((e) => e.type);
export const ofType = <T extends Outcome["type"]>(effects: Outcome[], type: T) =>
  effects.filter((e): e is Extract<Outcome, { type: T }> => e.type === type);

/** Every dedupe key in a decision is distinct. */
export function expectDistinctKeys(effects: Outcome[]) {
  const keys = effects.flatMap((e) => ("dedupeKey" in e ? [e.dedupeKey] : []));
  expect(new Set(keys).size).toBe(keys.length);
}

export function withMode(state: CaseState, mode: Mode): CaseState {
  return { ...state, mode };
}
