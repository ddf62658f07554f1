// Opening a case: the first command of every workflow. Pure: ids and time are passed in.
import type { Category, CompiledConfig, Workflow } from "./config/compile";
import { type IntakeSite, type Run, runIntake } from "./actions";
import type { Deadline, Mode } from "./case-state";
import { modeUrgency } from "./modes";
import type { Outcome } from "./outcomes";
import { nextCheckAt } from "./supervision";
import { validateFormData } from "./forms";
import { type Issue, issue, textIssue } from "./issues";
import { buildAbility, caseSubject, rulesFor, type Actor } from "./permissions";

export type IntakeInput = { categoryId: string; data: unknown };

export type NewCase = {
  id: string;
  tenantId: string;
  configVersion: number;
  workflowId: string;
  categoryId: string;
  gradeId: string;
  platformId: string;
  state: string;
  title: string;
  data: Record<string, unknown>;
  reporterId: string;
  orgUnitId: string;
  /** Clocks its intake started (受理时限), with the instant the sweep must first look at them; absent when none. */
  deadlines?: Deadline[];
  nextCheckAt?: string;
};

export type Refusal = { kind: "not-allowed"; issues: Issue[] } | { kind: "invalid-input"; issues: Issue[] };

export type IntakeDecision = { ok: true; case: NewCase; outcomes: Outcome[] } | { ok: false; refusal: Refusal };

export type IntakeContext = {
  compiled: CompiledConfig;
  configVersion: number;
  actor: Actor;
  now: Date;
  caseId: string;
  /** The township's mode: an intake deadline takes its duration from it. Default peacetime. */
  mode?: Mode;
  /** Opened by the system from another record (an escalation, a task sent down): no member's create rule applies. */
  trusted?: boolean;
};

/** The first entry of every new case's trail (`extra` says more, e.g. what an appeal disputes). */
export function reportedEntry(c: NewCase, now: Date, extra: Record<string, unknown> = {}): Outcome {
  const { categoryId, gradeId, state, configVersion } = c;
  return {
    type: "audit",
    event: "case.reported",
    data: { categoryId, gradeId, state, configVersion, ...extra, at: now.toISOString() },
  };
}

/** Whether the actor may report a case of this category where they sit (rules may name categories). */
function mayReport(compiled: CompiledConfig, actor: Actor, category: Category, ability = abilityOf(compiled, actor)) {
  return ability.can(
    "create",
    caseSubject({
      tenantId: actor.tenantId,
      orgUnitId: actor.unitId,
      platformId: category.platform,
      categoryId: category.id,
      reporterId: actor.userId,
    }),
  );
}

const abilityOf = (compiled: CompiledConfig, actor: Actor) => buildAbility(rulesFor(compiled, actor));

/** The categories the actor may report, in config order: what the report form offers. */
/** A category worked on a task workflow that does not fan out: its cases arrive from the county (ADR 041). */
function arrivesFromAbove(compiled: CompiledConfig, categoryId: string): boolean {
  const w = compiled.workflows.get(compiled.categories.get(categoryId)?.workflow ?? "");
  return w?.kind === "task" && !w.fanOut;
}

/** The categories a member may report here: allowed by the rules, and not ones that arrive from above. */
export function reportableCategories(compiled: CompiledConfig, actor: Actor): Category[] {
  const ability = abilityOf(compiled, actor);
  return [...compiled.categories.values()].filter(
    (c) => !arrivesFromAbove(compiled, c.id) && mayReport(compiled, actor, c, ability),
  );
}

export function decideIntake(ctx: IntakeContext, input: IntakeInput): IntakeDecision {
  const { compiled, actor } = ctx;
  const category = compiled.categories.get(input.categoryId);
  if (!category) {
    return {
      ok: false,
      refusal: {
        kind: "invalid-input",
        issues: [issue("/categoryId", "category.unknown")],
      },
    };
  }
  if (!ctx.trusted && arrivesFromAbove(compiled, category.id))
    return { ok: false, refusal: { kind: "invalid-input", issues: [issue("/categoryId", "category.from-above")] } };
  if (!ctx.trusted && !mayReport(compiled, actor, category)) {
    const name = category.name;
    return {
      ok: false,
      refusal: {
        kind: "not-allowed",
        issues: [
          textIssue(
            "",
            "forbidden",
            `您无权上报“${name.zh}”类事件`,
            `You may not report cases of category "${name.en ?? name.zh}"`,
          ),
        ],
      },
    };
  }
  const issues = validateFormData(compiled, category.intakeForm, input.data);
  if (issues.length)
    return {
      ok: false,
      refusal: { kind: "invalid-input", issues: issues.map((i) => ({ ...i, path: `/data${i.path}` })) },
    };

  const data = input.data as Record<string, unknown>;
  const workflow = compiled.workflows.get(category.workflow)!;
  const form = compiled.forms.get(category.intakeForm)!;
  const titleValue = form.titleField ? data[form.titleField] : undefined;
  const newCase: NewCase = {
    id: ctx.caseId,
    tenantId: actor.tenantId,
    configVersion: ctx.configVersion,
    workflowId: category.workflow,
    categoryId: category.id,
    gradeId: category.defaultGrade,
    platformId: category.platform,
    state: workflow.initial,
    title: typeof titleValue === "string" && titleValue.trim() ? titleValue.trim() : category.name.zh,
    data,
    reporterId: actor.userId,
    orgUnitId: actor.unitId,
  };
  const opened = openCase(compiled, workflow, newCase, ctx, { kind: "case.reported", withCaseId: false });
  return { ok: true, case: opened.case, outcomes: [reportedEntry(newCase, ctx.now), ...opened.outcomes] };
}

/**
 * Runs the workflow's `onIntake` on a case just opened (an intake, an appeal): its notifications,
 * and the clocks it starts, which the case then carries (new cases start at version 1, unassigned).
 */
export function openCase(
  compiled: CompiledConfig,
  workflow: Workflow,
  c: NewCase,
  ctx: { now: Date; mode?: Mode },
  site: Omit<IntakeSite, "key" | "caseId">,
): { case: NewCase; outcomes: Outcome[] } {
  const mode = ctx.mode ?? "peacetime";
  const run: Run = {
    config: compiled,
    draft: { ...c, version: 1, assignment: { assistUnitIds: [] }, deadlines: [], mode },
    actor: { userId: c.reporterId, tenantId: c.tenantId, unitId: c.orgUnitId, posts: [], kind: "township" },
    now: ctx.now,
    input: {},
    out: [],
    urgency: modeUrgency(compiled, mode),
  };
  runIntake(run, workflow.onIntake, { ...site, caseId: c.id });
  const deadlines = run.draft.deadlines;
  const check = nextCheckAt(compiled, { deadlines });
  return {
    case: deadlines.length ? { ...c, deadlines, ...(check ? { nextCheckAt: check } : {}) } : c,
    outcomes: run.out,
  };
}
