// Field masks: values of a form's masked fields never leave the server unless the user may read them.
import type { CompiledConfig } from "#engine/config/index";
import { caseSubject, type CaseFacts } from "#engine/permissions";
import { getTenantConfig } from "./config.server";
import type { Db } from "./db.server";
import type { CaseAbility } from "./permissions.server";
import type { TenantContext } from "./tenancy.server";

function maskValue(value: unknown): string {
  const s = String(value ?? "");
  if (s.length <= 4) return "*".repeat(s.length);
  return s.slice(0, 3) + "*".repeat(s.length - 5) + s.slice(-2);
}

export function maskCaseData(
  compiled: CompiledConfig,
  ability: CaseAbility,
  facts: CaseFacts,
  formId: string,
  data: Record<string, unknown>,
) {
  const masked = compiled.forms.get(formId)?.maskedFields ?? [];
  if (!masked.length || ability.can("read-masked", caseSubject(facts))) return { data, maskedFields: [] as string[] };
  const out = { ...data };
  const hidden: string[] = [];
  for (const field of masked) {
    if (field in out) {
      out[field] = maskValue(out[field]);
      hidden.push(field);
    }
  }
  return { data: out, maskedFields: hidden };
}

type AuditRow = { caseId: string | null; type: string; data: unknown };

/**
 * Audit entries' data as this viewer may read it: a transition's input masked exactly as the case
 * page masks it for them (the case's own config version and transition form). An input whose case,
 * config or transition is not found is left out rather than shown.
 */
export async function auditDataFor(db: Db, ctx: TenantContext, events: readonly AuditRow[]): Promise<unknown[]> {
  const ids = [...new Set(events.flatMap((e) => (e.caseId && e.type === "case.transition" ? [e.caseId] : [])))];
  const rows = ids.length
    ? await ctx.db.transaction((tx) =>
        tx.case.findMany({
          where: { tenantId: ctx.tenant.id, id: { in: ids } },
          select: {
            id: true,
            tenantId: true,
            orgUnitId: true,
            platformId: true,
            categoryId: true,
            reporterId: true,
            leadUnitId: true,
            assistUnitIds: true,
            workflowId: true,
            configVersion: true,
          },
        }),
      )
    : [];
  const cases = new Map(
    await Promise.all(
      rows.map(
        async (row) =>
          [row.id, { row, compiled: (await getTenantConfig(db, row.tenantId, row.configVersion))?.compiled }] as const,
      ),
    ),
  );
  const isRecord = (v: unknown): v is Record<string, unknown> => !!v && typeof v === "object" && !Array.isArray(v);
  return events.map((e) => {
    const data = e.data;
    if (e.type !== "case.transition" || !isRecord(data) || !("input" in data)) return data;
    const { input, ...rest } = data;
    const found = e.caseId ? cases.get(e.caseId) : undefined;
    const transition = (found?.compiled?.workflows.get(found.row.workflowId)?.transitions ?? []).find(
      (t) => t.id === data.transitionId,
    );
    if (!found?.compiled || !transition || !isRecord(input)) return rest;
    if (!transition.form) return data;
    const { workflowId: _w, configVersion: _v, id: _id, ...facts } = found.row;
    return { ...rest, input: maskCaseData(found.compiled, ctx.ability, facts, transition.form, input).data };
  });
}
