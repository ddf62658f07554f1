// Opening a case: the first command of every workflow. Pure: ids and time are passed in.
import type { CompiledConfig } from "./config/compile";
import { intakeOutcomes } from "./actions";
import type { Outcome } from "./outcomes";
import { validateFormData } from "./forms";
import { type Issue, issue } from "./issues";
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
};

export type Refusal = { kind: "not-allowed"; issues: Issue[] } | { kind: "invalid-input"; issues: Issue[] };

export type IntakeDecision = { ok: true; case: NewCase; outcomes: Outcome[] } | { ok: false; refusal: Refusal };

export type IntakeContext = {
  compiled: CompiledConfig;
  configVersion: number;
  actor: Actor;
  now: Date;
  caseId: string;
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
  const facts = {
    tenantId: actor.tenantId,
    orgUnitId: actor.unitId,
    platformId: category.platform,
    reporterId: actor.userId,
  };
  if (!buildAbility(rulesFor(compiled, actor)).can("create", caseSubject(facts))) {
    return {
      ok: false,
      refusal: {
        kind: "not-allowed",
        issues: [issue("", "forbidden")],
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
  const outcomes: Outcome[] = [reportedEntry(newCase, ctx.now)];
  outcomes.push(...intakeOutcomes(workflow.onIntake, { caseId: ctx.caseId, kind: "case.reported", withCaseId: false }));
  return { ok: true, case: newCase, outcomes };
}
