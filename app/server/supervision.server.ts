// Supervision records as people read them: a case's sheets (督办单) and talks (约谈), the open ones
// across the township, and one sheet for printing. Only sheets of cases the user may read.
import { workingDaysBetween } from "#engine/calendar";
import type { Deadline } from "#engine/case-state";
import type { CompiledConfig } from "#engine/config/index";
import { pickText, type Locale, type Text } from "#engine/i18n";
import { ladderStepAt } from "#engine/supervision";
import { getTenantConfig } from "./config.server";
import type { Db } from "./db.server";
import { isUuid } from "./params.server";
import { accessibleCases } from "./permissions.server";
import type { TenantContext } from "./tenancy.server";

const sheetSelect = {
  id: true,
  number: true,
  trigger: true,
  deadlineKind: true,
  dueAt: true,
  issuedAt: true,
  respondBy: true,
  toUnitIds: true,
  toUserIds: true,
  copyPosts: true,
  urgency: true,
  status: true,
  closedAt: true,
} as const;

const talkSelect = {
  id: true,
  principalPost: true,
  withUnitIds: true,
  withUserIds: true,
  scheduleBy: true,
  heldAt: true,
  status: true,
} as const;

/** The sheets and talks of one case; the caller has already checked that the user may read it. */
export async function caseSupervision(ctx: TenantContext, caseId: string) {
  return ctx.db.transaction(async (tx) => ({
    sheets: await tx.supervisionSheet.findMany({
      where: { tenantId: ctx.tenant.id, caseId },
      orderBy: { issuedAt: "asc" },
      select: sheetSelect,
    }),
    talks: await tx.principalTalk.findMany({
      where: { tenantId: ctx.tenant.id, caseId },
      orderBy: { scheduleBy: "asc" },
      select: talkSelect,
    }),
  }));
}

const caseBrief = { select: { id: true, number: true, title: true, state: true, workflowId: true } } as const;

/** Open sheets and talks of the cases the user may read, newest sheets and earliest talks first. */
export async function listOpenSupervision(ctx: TenantContext, take = 200) {
  const readable = accessibleCases(ctx.ability);
  return ctx.db.transaction(async (tx) => ({
    sheets: await tx.supervisionSheet.findMany({
      where: { AND: [{ tenantId: ctx.tenant.id, status: "open" }, { case: readable }] },
      orderBy: [{ respondBy: "asc" }, { issuedAt: "desc" }],
      take,
      select: { ...sheetSelect, case: caseBrief },
    }),
    talks: await tx.principalTalk.findMany({
      where: { AND: [{ tenantId: ctx.tenant.id, status: "open" }, { case: readable }] },
      orderBy: { scheduleBy: "asc" },
      take,
      select: { ...talkSelect, case: caseBrief },
    }),
  }));
}

/** Display names of users, for "responsible people" and the like (names are not tenant data). */
export async function userNames(db: Db, ids: readonly string[]): Promise<Record<string, string>> {
  if (!ids.length) return {};
  const users = await db.user.findMany({
    where: { id: { in: [...new Set(ids)] } },
    select: { id: true, displayName: true },
  });
  return Object.fromEntries(users.map((u) => [u.id, u.displayName]));
}

/**
 * What a sheet demands, in words: the label of the ladder step that issued it (e.g. 超期督办单,
 * 持续督办) or the name of the transition someone fired (督办). The sheet row does not keep the
 * label, so it is found from the audit entry written in the same transaction (same instant).
 */
function sheetLabel(
  compiled: CompiledConfig,
  c: { workflowId: string; categoryId: string; deadlines: Deadline[] },
  sheet: { trigger: string; dueAt: Date | null; deadlineKind: string | null },
  audit: Array<{ type: string; data: unknown }>,
): Text | undefined {
  for (const e of audit) {
    const data = (e.data ?? {}) as Record<string, unknown>;
    if (sheet.trigger === "manual" && e.type === "case.transition") {
      return compiled.workflows.get(c.workflowId)?.transitions?.find((t) => t.id === data.transitionId)?.name;
    }
    if (
      sheet.trigger === "ladder" &&
      e.type === "case.deadline-step" &&
      data.type === "supervision-sheet" &&
      typeof data.index === "number"
    ) {
      const running = c.deadlines.find((d) => d.id === data.deadlineId);
      const policyId = running?.policyId ?? compiled.categories.get(c.categoryId)?.deadlinePolicy;
      if (!policyId || !compiled.policies.has(policyId)) return undefined;
      const deadline: Deadline = running ?? {
        id: String(data.deadlineId),
        kind: sheet.deadlineKind ?? compiled.defaults.mainDeadline,
        policyId,
        mode: "peacetime",
        unit: "working-days",
        startedAt: (sheet.dueAt ?? new Date(0)).toISOString(),
        dueAt: String(data.dueAt ?? sheet.dueAt?.toISOString()),
        ladderStep: 0,
      };
      const step = ladderStepAt(compiled, deadline, data.index)?.step;
      return step?.label;
    }
  }
  return undefined;
}

/** One sheet with everything its printed form shows, or null when it is not there or the case is not readable. */
export async function getSheetForPrint(db: Db, ctx: TenantContext, sheetId: string, locale: Locale) {
  if (!isUuid(sheetId)) return null;
  const found = await ctx.db.transaction(async (tx) => {
    const sheet = await tx.supervisionSheet.findFirst({
      where: { AND: [{ id: sheetId, tenantId: ctx.tenant.id }, { case: accessibleCases(ctx.ability) }] },
      select: {
        ...sheetSelect,
        case: {
          select: {
            id: true,
            number: true,
            title: true,
            categoryId: true,
            workflowId: true,
            configVersion: true,
            assignment: true,
            deadlines: true,
          },
        },
      },
    });
    if (!sheet) return null;
    const audit = await tx.auditEvent.findMany({
      where: { tenantId: ctx.tenant.id, caseId: sheet.case.id, at: sheet.issuedAt },
      orderBy: { seq: "asc" },
      select: { type: true, data: true },
    });
    return { sheet, audit };
  });
  if (!found) return null;
  const { sheet, audit } = found;
  const compiled = (await getTenantConfig(db, ctx.tenant.id, sheet.case.configVersion))?.compiled ?? ctx.compiled;
  const deadlines = (sheet.case.deadlines ?? []) as Deadline[];
  const policyId =
    deadlines.find((d) => d.kind === sheet.deadlineKind)?.policyId ??
    compiled.categories.get(sheet.case.categoryId)?.deadlinePolicy;
  const calendar = compiled.calendar(policyId ? compiled.policies.get(policyId)?.calendar : undefined);
  const assignment = (sheet.case.assignment ?? {}) as {
    assignedAt?: string;
    leadUnitId?: string;
    assistUnitIds?: string[];
  };
  const names = await userNames(db, sheet.toUserIds);
  const label = sheetLabel(
    compiled,
    { workflowId: sheet.case.workflowId, categoryId: sheet.case.categoryId, deadlines },
    sheet,
    audit,
  );
  return {
    id: sheet.id,
    number: sheet.number,
    trigger: sheet.trigger,
    status: sheet.status,
    urgency: sheet.urgency,
    label: label ? pickText(label, locale) : null,
    case: { id: sheet.case.id, number: sheet.case.number, title: sheet.case.title, categoryId: sheet.case.categoryId },
    toUnitIds: sheet.toUnitIds,
    toUsers: sheet.toUserIds.map((id) => names[id] ?? id),
    copyPosts: sheet.copyPosts,
    assignedAt: assignment.assignedAt ?? null,
    dueAt: sheet.dueAt?.toISOString() ?? null,
    // Working days past the due date when the sheet was issued (the due date itself does not count).
    overdueWorkingDays: sheet.dueAt ? Math.max(0, workingDaysBetween(calendar, sheet.dueAt, sheet.issuedAt)) : null,
    issuedAt: sheet.issuedAt.toISOString(),
    respondBy: sheet.respondBy?.toISOString() ?? null,
    closedAt: sheet.closedAt?.toISOString() ?? null,
  };
}
