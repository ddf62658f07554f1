// Everything the case screen shows beyond the case's own facts: the running deadlines, the
// assignment, supervision, the actions the user may take now with their forms, and the audit
// trail in words. Loaded on the config version the case was opened under.
import type { Locale } from "#engine/i18n";
import { pickText, type Text } from "#engine/i18n";
import type { CompiledConfig } from "#engine/config/index";
import type { CaseFacts } from "#engine/permissions";
import { deadlineViews } from "./deadlines.server";
import type { Db } from "./db.server";
import { maskCaseData } from "./masking.server";
import { caseSupervision, userNames } from "./supervision.server";
import type { TenantContext } from "./tenancy.server";
import { transitionFormFor } from "./transition-forms.server";
import { actionsFor, loadCaseForActor } from "./workflow.server";

type AuditRow = { id: bigint; type: string; at: Date; data: unknown; actorId: string | null };

/** A transition's input as the people who read the case see it: titles, choice names, masks. */
function describeInput(
  compiled: CompiledConfig,
  ctx: TenantContext,
  facts: CaseFacts,
  formId: string | undefined,
  input: unknown,
  locale: Locale,
) {
  if (!formId || !input || typeof input !== "object") return [];
  const form = transitionFormFor(compiled, formId, locale);
  if (!form) return [];
  const { data, maskedFields } = maskCaseData(compiled, ctx.ability, facts, formId, input as Record<string, unknown>);
  type Prop = { title?: string; enum?: unknown[]; oneOf?: Array<{ const: unknown; title?: string }> };
  type Ui = { "ui:enumNames"?: string[]; items?: Ui };
  const props = (form.schema.properties ?? {}) as Record<string, Prop & { items?: Prop }>;
  /** A value by the name the form shows for it (enum + ui:enumNames, or oneOf const + title). */
  const named = (key: string, v: unknown) => {
    const array = Array.isArray(v);
    const p = array ? props[key]?.items : props[key];
    const ui = array ? (form.uiSchema[key] as Ui | undefined)?.items : (form.uiSchema[key] as Ui | undefined);
    const show = (x: unknown) => {
      const i = p?.enum?.indexOf(x) ?? -1;
      if (i >= 0 && ui?.["ui:enumNames"]?.[i]) return ui["ui:enumNames"][i]!;
      return p?.oneOf?.find((c) => c.const === x)?.title ?? String(x);
    };
    return array ? v.map(show).join("、") : show(v);
  };
  const order = [...((form.uiSchema["ui:order"] as string[] | undefined) ?? []), ...Object.keys(props)];
  const rank = (key: string) => (order.indexOf(key) < 0 ? order.length : order.indexOf(key));
  return Object.entries(data)
    .sort(([a], [b]) => rank(a) - rank(b))
    .filter(([, v]) => v !== undefined && v !== null && v !== "" && !(Array.isArray(v) && !v.length))
    .map(([key, v]) => ({
      key,
      title: props[key]?.title ?? key,
      value: maskedFields.includes(key) ? String(v) : named(key, v),
      masked: maskedFields.includes(key),
    }));
}

type BilingualNote = { title: Text; value: Text };

/** A step of the county's linked case, mirrored into this township case's trail (ADR 039). */
function countyStep(type: string, data: Record<string, unknown>, locale: Locale) {
  if (type !== "case.county-step" && type !== "case.county-received") return null;
  return {
    number: String(data.countyNumber ?? ""),
    transition: data.transition ? pickText(data.transition as Text, locale) : "",
    to: data.to ? pickText(data.to as Text, locale) : "",
    notes: ((data.notes ?? []) as BilingualNote[]).map((n, i) => ({
      key: String(i),
      title: pickText(n.title, locale),
      value: pickText(n.value, locale),
    })),
  };
}

export async function loadCaseScreen(
  db: Db,
  ctx: TenantContext,
  caseId: string,
  audit: AuditRow[],
  locale: Locale,
  now: Date,
) {
  const loaded = await loadCaseForActor(db, ctx, caseId, now);
  if (!loaded) return null;
  const { compiled, state, row } = loaded;
  const workflow = compiled.workflows.get(state.workflowId);
  const transitions = new Map((workflow?.transitions ?? []).map((t) => [t.id, t]));
  const facts: CaseFacts = {
    tenantId: row.tenantId,
    orgUnitId: row.orgUnitId,
    platformId: row.platformId,
    categoryId: row.categoryId,
    reporterId: row.reporterId,
    leadUnitId: row.leadUnitId,
    assistUnitIds: row.assistUnitIds,
  };

  const actions = actionsFor(loaded, now).map((a) => ({
    id: a.id,
    name: pickText(a.name, locale),
    to: a.to,
    form: a.form ? transitionFormFor(compiled, a.form, locale) : null,
  }));

  const supervision = await caseSupervision(ctx, caseId);
  const names = await userNames(db, [
    ...audit.map((e) => e.actorId).filter((x): x is string => !!x),
    ...(state.assignment.assigneeUserIds ?? []),
    ...(state.assignment.assignedBy ? [state.assignment.assignedBy] : []),
    ...supervision.sheets.flatMap((s) => s.toUserIds),
    ...supervision.talks.flatMap((t) => t.withUserIds),
  ]);

  const trail = audit.map((e) => {
    const data = (e.data ?? {}) as Record<string, unknown>;
    const transition = e.type === "case.transition" ? transitions.get(String(data.transitionId)) : undefined;
    return {
      id: String(e.id),
      type: e.type,
      at: e.at.toISOString(),
      actor: e.actorId ? (names[e.actorId] ?? null) : null,
      transition: transition
        ? {
            id: transition.id,
            name: pickText(transition.name, locale),
            from: String(data.from ?? ""),
            to: String(data.to ?? ""),
          }
        : null,
      step:
        e.type === "case.deadline-step"
          ? { phase: String(data.phase ?? ""), type: String(data.type ?? ""), superseded: data.superseded === true }
          : null,
      migration:
        e.type === "case.migrated"
          ? {
              fromVersion: Number(data.fromVersion),
              toVersion: Number(data.toVersion),
              from: pickText(data.fromName as Text | undefined, locale) || String(data.from ?? ""),
              to: pickText(data.toName as Text | undefined, locale) || String(data.to ?? ""),
            }
          : null,
      input: transition ? describeInput(compiled, ctx, facts, transition.form, data.input, locale) : [],
      county: countyStep(e.type, data, locale),
    };
  });

  return {
    version: state.version,
    state: state.state,
    workflowId: state.workflowId,
    deadlines: deadlineViews(compiled, state.deadlines, now),
    assignment: {
      leadUnitId: state.assignment.leadUnitId ?? null,
      assistUnitIds: state.assignment.assistUnitIds,
      assignees: (state.assignment.assigneeUserIds ?? []).map((id) => names[id] ?? id),
      assignedBy: state.assignment.assignedBy ? (names[state.assignment.assignedBy] ?? null) : null,
      assignedAt: state.assignment.assignedAt ?? null,
    },
    escalatedTo: state.escalatedTo ?? null,
    // Nobody on the staff can move it now (ADR 037): said on the case itself, not only on the lists.
    stuckSince: row.stuckSince?.toISOString() ?? null,
    actions,
    sheets: supervision.sheets.map((s) => ({ ...s, toUsers: s.toUserIds.map((id) => names[id] ?? id) })),
    talks: supervision.talks.map((t) => ({ ...t, withUsers: t.withUserIds.map((id) => names[id] ?? id) })),
    trail,
  };
}
