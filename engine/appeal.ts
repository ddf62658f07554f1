// Filing an appeal (申诉) against a deduction in the score ledger: the first command of the
// township's appeal workflow (scoring.appeal). Pure, like decideIntake: the server looks up the
// disputed entry in its own tenant's ledger and passes it in with ids and time.
//
// The appeal is a case of that workflow: reviewing it is an ordinary transition, and reaching the
// upheld state reverses the entry when scores are evaluated (engine/scoring/lines.ts).
import type { Outcome } from "./outcomes";
import { validateFormData } from "./forms";
import { type IntakeDecision, type NewCase, openCase, type Refusal, reportedEntry } from "./intake";
import type { Issue } from "./issues";
import type { Actor } from "./permissions";
import type { Mode } from "./case-state";
import type { ScoreLineLike } from "./scoring";
import type { CompiledConfig } from "./config/compile";

/** A ledger line as an appeal sees it; `reverses` is set on reversals and recompute corrections. */
export type AppealableLine = ScoreLineLike & { caseId?: string | null; reverses?: string | null };

export type AppealContext = {
  compiled: CompiledConfig;
  configVersion: number;
  actor: Actor;
  now: Date;
  caseId: string;
  /** The township's mode (for a deadline the appeal workflow starts at intake). Default peacetime. */
  mode?: Mode;
  /** The ledger entry named by the form's entry field, from this tenant's ledger; undefined when there is none. */
  disputed: AppealableLine | undefined;
  /** The case the entry is about (its category and platform place the appeal for permissions), if any. */
  disputedCase?: { categoryId: string; platformId: string };
  /** An appeal against this entry is already open or decided. */
  alreadyAppealed: boolean;
};

const refusal = (kind: Refusal["kind"], path: string, code: string, zh: string, en: string): Refusal => ({
  kind,
  issues: [{ path, code, message: { zh, en } }] satisfies Issue[],
});

/** The township's appeal set-up: config, its workflow and the form field naming the entry; undefined when appeals are not set up. */
export function appealSetup(compiled: CompiledConfig) {
  const appeal = compiled.config.scoring?.appeal;
  const workflow = appeal ? compiled.workflows.get(appeal.workflow) : undefined;
  if (!appeal || !workflow) return undefined;
  return { appeal, workflow, field: compiled.defaults.appealEntryField };
}

const notConfigured = () =>
  refusal(
    "not-allowed",
    "",
    "appeal.not-configured",
    "本乡镇未开通考评申诉",
    "Appeals are not set up in this township",
  );

const unknownEntry = (at: string) =>
  refusal("invalid-input", at, "appeal.entry-unknown", "找不到要申诉的考评记录", "No such score entry");

/** What makes a line appealable by `actor`, in the order decideAppeal refuses. */
function lineRefusal(actor: Actor, line: AppealableLine, alreadyAppealed: boolean, at: string): Refusal | null {
  if (line.points >= 0)
    return refusal("invalid-input", at, "appeal.not-a-deduction", "只能对扣分申诉", "Only a deduction can be appealed");
  // A reversal or a recompute correction is the ledger's own adjustment: the original line is what is disputed.
  if (line.reverses)
    return refusal(
      "invalid-input",
      at,
      "appeal.correction",
      "更正记录不能申诉，请对原扣分申诉",
      "A correction cannot be appealed; appeal the original deduction",
    );
  const own = line.target.kind === "user" ? line.target.id === actor.userId : line.target.id === actor.unitId;
  if (!own)
    return refusal(
      "not-allowed",
      "",
      "appeal.not-yours",
      "只能对本人或本单位的扣分申诉",
      "You may appeal only deductions from you or your unit",
    );
  if (alreadyAppealed)
    return refusal(
      "invalid-input",
      at,
      "appeal.duplicate",
      "该扣分已申诉过",
      "This deduction has already been appealed",
    );
  return null;
}

/**
 * Why `actor` may not appeal `line`, as decideAppeal would refuse it before looking at the form,
 * or null when they may: the scores page asks this to offer the appeal link.
 */
export function appealRefusal(
  compiled: CompiledConfig,
  actor: Actor,
  line: AppealableLine | undefined,
  alreadyAppealed: boolean,
): Refusal | null {
  const setup = appealSetup(compiled);
  if (!setup) return notConfigured();
  const at = `/data/${setup.field}`;
  return line ? lineRefusal(actor, line, alreadyAppealed, at) : unknownEntry(at);
}

export const mayAppeal = (
  compiled: CompiledConfig,
  actor: Actor,
  line: AppealableLine | undefined,
  alreadyAppealed: boolean,
): boolean => appealRefusal(compiled, actor, line, alreadyAppealed) === null;

/**
 * Whether an appeal in `state` stands against its entry, so that another is refused: open, upheld
 * or rejected. One that ended otherwise (withdrawn) leaves the entry open to a new appeal.
 */
export function appealStands(compiled: CompiledConfig, state: string): boolean {
  const setup = appealSetup(compiled);
  if (!setup) return false;
  const { appeal, workflow } = setup;
  return !workflow.states[state]?.final || state === appeal.upheldState || state === appeal.rejectedState;
}

/**
 * Opens an appeal: the appellant is the person the deduction names, or a member of the unit it
 * names; only a deduction may be appealed, once. Returns the new case (on the appeal workflow, in
 * its initial state) and the intake outcomes, or a refusal.
 */
export function decideAppeal(ctx: AppealContext, data: unknown): IntakeDecision {
  const { compiled, actor } = ctx;
  const setup = appealSetup(compiled);
  if (!setup) return { ok: false, refusal: notConfigured() };
  const { appeal, workflow, field } = setup;
  const issues = validateFormData(compiled, appeal.form, data);
  if (issues.length)
    return {
      ok: false,
      refusal: { kind: "invalid-input", issues: issues.map((i) => ({ ...i, path: `/data${i.path}` })) },
    };
  const fields = data as Record<string, unknown>;
  const at = `/data/${field}`;
  const disputed = ctx.disputed;
  if (!disputed || disputed.dedupeKey !== fields[field]) return { ok: false, refusal: unknownEntry(at) };
  const refused = lineRefusal(actor, disputed, ctx.alreadyAppealed, at);
  if (refused) return { ok: false, refusal: refused };

  // The appeal sits with the case it disputes; an entry without a case falls back on the first category.
  const category =
    (ctx.disputedCase && compiled.categories.get(ctx.disputedCase.categoryId)) ??
    compiled.categories.values().next().value;
  if (!category)
    return {
      ok: false,
      refusal: refusal(
        "not-allowed",
        "",
        "appeal.not-configured",
        "本乡镇未配置事件类别",
        "This township has no categories",
      ),
    };
  const titleField = compiled.forms.get(appeal.form)?.titleField;
  const title =
    titleField && typeof fields[titleField] === "string" && fields[titleField]
      ? `申诉：${String(fields[titleField]).trim()}`
      : "考评申诉";
  const newCase: NewCase = {
    id: ctx.caseId,
    tenantId: actor.tenantId,
    configVersion: ctx.configVersion,
    workflowId: appeal.workflow,
    categoryId: category.id,
    gradeId: category.defaultGrade,
    platformId: ctx.disputedCase?.platformId ?? category.platform,
    state: workflow.initial,
    title: title.slice(0, 200),
    data: fields,
    reporterId: actor.userId,
    orgUnitId: actor.unitId,
  };
  const outcomes: Outcome[] = [
    reportedEntry(newCase, ctx.now, {
      appeal: { entry: disputed.dedupeKey, ...(disputed.caseId ? { caseId: disputed.caseId } : {}) },
    }),
  ];
  const opened = openCase(compiled, workflow, newCase, ctx, { kind: "appeal.filed", withCaseId: true });
  return { ok: true, case: opened.case, outcomes: [...outcomes, ...opened.outcomes] };
}
