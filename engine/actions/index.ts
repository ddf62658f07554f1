// The registry of config actions: the names a workflow's `effects`, `onIntake` and overdue ladders
// may use. Each action is one module here (params schema, places, checks, behaviour, fact); the
// validator (engine/config/checks-workflow.ts), decide() (engine/workflow.ts) and scoring
// (ACTION_FACTS) read this list, so adding or changing an action touches its module only.
import type { FactName } from "#engine/scoring";
import assign from "./assign";
import clearDeadline from "./clear-deadline";
import closeSupervision from "./close-supervision";
import escalate from "./escalate";
import type { ActionDef, IntakeSite, Place, Run, Site } from "./kit";
import notify from "./notify";
import pauseDeadline from "./pause-deadline";
import principalTalk from "./principal-talk";
import resumeDeadline from "./resume-deadline";
import returnToSender from "./return-to-sender";
import setDeadline from "./set-deadline";
import setGrade from "./set-grade";
import supervisionSheet from "./supervision-sheet";
import type { Issue } from "#engine/issues";

export type { IntakeSite, Place, Run, Site } from "./kit";

export const ACTIONS = {
  notify,
  assign,
  "set-grade": setGrade,
  "set-deadline": setDeadline,
  "pause-deadline": pauseDeadline,
  "resume-deadline": resumeDeadline,
  "clear-deadline": clearDeadline,
  escalate,
  "return-to-sender": returnToSender,
  "supervision-sheet": supervisionSheet,
  "principal-talk": principalTalk,
  "close-supervision": closeSupervision,
} as const;

export type ActionName = keyof typeof ACTIONS;
/** An action looked up by name; its params were checked against its schema at validation. */
export type LooseAction = ActionDef<never>;

export const ACTION_NAMES: ReadonlySet<string> = new Set(Object.keys(ACTIONS));
export const isActionName = (name: string): name is ActionName => Object.hasOwn(ACTIONS, name);
export const actionOf = (name: ActionName): LooseAction => ACTIONS[name] as unknown as LooseAction;

/**
 * The workflow action that wrote score lines of its own, beside the scoring rules (retired by
 * docs/decisions/026-one-scoring-path.md): the validator refuses it, and in a config version
 * published before, it does nothing (its lines were never counted).
 */
export const RETIRED_SCORE_ACTION = "score";

/** The fact each action yields when it runs (in a transition, or as an overdue ladder step). Actions not listed yield none of their own. */
export const ACTION_FACTS: Readonly<Partial<Record<string, FactName>>> = Object.fromEntries(
  Object.keys(ACTIONS).flatMap((name) => {
    const fact = actionOf(name as ActionName).fact;
    return fact ? [[name, fact] as const] : [];
  }),
);

/** Runs one config action at a site in decide(); a retired action does nothing. */
export function runAction(run: Run, spec: ActionSpec, site: Site): Issue[] {
  if (spec.type === RETIRED_SCORE_ACTION) return [];
  const place: Place = site.place;
  if (!isActionName(spec.type) || !ACTIONS[spec.type].places.includes(place as never))
    throw new Error(`Action ${spec.type} cannot run in a ${site.place}`);
  return actionOf(spec.type).run(run, (spec.params ?? {}) as never, site) ?? [];
}

type ActionSpec = { type: string; params?: Record<string, unknown> };

/** Runs a workflow's `onIntake` actions for a case just reported (intake and appeals) on `run`, whose draft is the new case. */
export function runIntake(run: Run, specs: readonly ActionSpec[] | undefined, site: Omit<IntakeSite, "key">): void {
  (specs ?? []).forEach((spec, i) => {
    if (isActionName(spec.type))
      actionOf(spec.type).intake?.(run, (spec.params ?? {}) as never, {
        ...site,
        key: `case:${site.caseId}:intake:${i}`,
      });
  });
}

/** Whether one of these transition actions ends (clears or replaces) a running clock of `kind`. */
export function endsDeadline(specs: readonly ActionSpec[] | undefined, kind: string, mainDeadline: string): boolean {
  return (specs ?? []).some(
    (spec) =>
      isActionName(spec.type) && actionOf(spec.type).endsDeadline?.((spec.params ?? {}) as never, kind, mainDeadline),
  );
}

/** Whom an overdue ladder step addresses (its defaults included); empty when it addresses nobody in particular. */
export function ladderAddressees(spec: ActionSpec): readonly string[] {
  return isActionName(spec.type) ? (actionOf(spec.type).addressees?.((spec.params ?? {}) as never) ?? []) : [];
}

/** The deadline kinds these transition actions start (set-deadline's `kind`, default the main deadline). */
export function deadlineKindsStarted(specs: readonly ActionSpec[] | undefined, mainDeadline: string): string[] {
  return (specs ?? []).flatMap((spec) => {
    const kind = isActionName(spec.type)
      ? actionOf(spec.type).startsDeadline?.((spec.params ?? {}) as never, mainDeadline)
      : undefined;
    return kind === undefined ? [] : [kind];
  });
}

/** Each deadline kind these transition actions start, with the policy they name (none: the category's). */
export function deadlinePoliciesStarted(
  specs: readonly ActionSpec[] | undefined,
  mainDeadline: string,
): Array<{ kind: string; policy: string | undefined }> {
  return (specs ?? []).flatMap((spec) => {
    if (!isActionName(spec.type)) return [];
    const action = actionOf(spec.type);
    const params = (spec.params ?? {}) as never;
    const kind = action.startsDeadline?.(params, mainDeadline);
    return kind === undefined ? [] : [{ kind, policy: action.deadlinePolicy?.(params) }];
  });
}
