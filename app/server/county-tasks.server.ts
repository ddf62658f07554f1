// Tasks sent down (任务下达, docs/decisions/041-county-tasks-fan-out-to-township-cases.md): a county
// case on a workflow with `fanOut` opens one linked case per chosen township, in the township's own
// task workflow (kind `task`); the county tracks them, supervises a late one and evaluates each
// feedback by firing the township workflow's `$county` transitions.
import { randomUUID } from "node:crypto";
import type { Workflow } from "#engine/config/compile";
import type { CompiledConfig } from "#engine/config/index";
import { decideIntake } from "#engine/intake";
import { appendAudit } from "./audit.server";
import { insertNewCase } from "./cases.server";
import { getTenantConfig } from "./config.server";
import type { Db, Tx } from "./db.server";
import { applyOutcomes } from "./effects.server";
import { relayOutbox } from "./jobs.server";
import type { OutboxRef, OutboxRow } from "./outbox.server";
import type { TenantContext } from "./tenancy.server";
import { fireCountyResult } from "./workflow.server";

type Job = { tenantId: string; payload: unknown; dedupeKey: string };
type Progress = "arrived" | "distributed" | "in-progress" | "fed-back" | "accepted";

/** The outbox row that fans a new county task out (written with the task's intake). */
export function fanOutJob(tenantId: string, taskCaseId: string, now: Date): OutboxRow {
  return { tenantId, kind: "task-fanout", payload: { taskCaseId }, dedupeKey: `task-fanout:${taskCaseId}`, runAt: now };
}

/** A township's category for tasks from above: the one on a `task` workflow that fans nothing out. */
function taskCategory(compiled: CompiledConfig) {
  return [...compiled.categories.values()].find((c) => {
    const w = compiled.workflows.get(c.workflow);
    return w?.kind === "task" && !w.fanOut;
  });
}

/** Whether a category only arrives from above (townships cannot report it themselves). */

/** Job `task-fanout`: one linked case per chosen township (all of the county's when none is chosen). */
export async function fanOutTask(tx: Tx, job: Job, now: Date): Promise<OutboxRef[]> {
  const { taskCaseId } = job.payload as { taskCaseId: string };
  const task = await tx.case.findUniqueOrThrow({ where: { id: taskCaseId } });
  const config = await getTenantConfig(tx as unknown as Db, task.tenantId, task.configVersion);
  const fanOut = config?.compiled.workflows.get(task.workflowId)?.fanOut;
  if (!config || !fanOut) return [];
  const data = task.data as Record<string, unknown>;
  const chosen = Array.isArray(data[fanOut.townships]) ? (data[fanOut.townships] as string[]) : [];
  const townships = await tx.tenant.findMany({
    where: { parentId: task.tenantId, ...(chosen.length ? { code: { in: chosen } } : {}) },
    orderBy: { code: "asc" },
  });
  const outbox: OutboxRef[] = [];
  const sent: string[] = [];
  for (const t of townships) {
    if (await tx.case.findFirst({ where: { taskId: task.id, tenantId: t.id }, select: { id: true } })) continue;
    const own = await getTenantConfig(tx as unknown as Db, t.id);
    const category = own && taskCategory(own.compiled);
    if (!own || !category) continue;
    const form = own.compiled.forms.get(category.intakeForm);
    const declared = Object.keys(form?.schema.properties ?? {});
    const offered: Record<string, unknown> = {
      ...data,
      countyNumber: task.number,
      dueDate: data[fanOut.due],
    };
    const decision = decideIntake(
      {
        compiled: own.compiled,
        configVersion: own.version,
        actor: { userId: task.reporterId, tenantId: t.id, unitId: category.platform, posts: [] },
        now,
        caseId: randomUUID(),
        trusted: true,
      },
      {
        categoryId: category.id,
        data: Object.fromEntries(Object.entries(offered).filter(([k, v]) => declared.includes(k) && v != null)),
      },
    );
    if (!decision.ok) throw new Error(`task intake refused in ${t.code}: ${JSON.stringify(decision.refusal.issues)}`);
    const c = decision.case;
    await insertNewCase(tx, c, now, { taskId: task.id });
    outbox.push(
      ...(await applyOutcomes(
        tx,
        {
          tenantId: t.id,
          actorId: c.reporterId,
          caseId: c.id,
          caseTitle: c.title,
          now,
          timeZone: own.compiled.defaults.timeZone,
        },
        decision.outcomes,
      )),
    );
    sent.push(t.name);
  }
  await appendAudit(tx, {
    tenantId: task.tenantId,
    caseId: task.id,
    actorId: null,
    type: "case.task-sent",
    data: { townships: sent },
    at: now,
  });
  return outbox;
}

/** `YYYY-MM-DD` of an instant in a time zone. */
function localDate(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(at);
}

type Verdict = { verdict: "accepted" | "returned"; reason?: string; at: string };

type TaskRow = {
  caseId: string;
  township: string;
  number: string;
  state: { zh: string; en?: string };
  progress: Progress | null;
  fedBackAt: string | null;
  late: boolean;
  sheets: number;
  verdict: Verdict | null;
  can: { supervise: boolean; evaluate: boolean };
};

/** The county task the member may read, with its fan-out settings; null when it is none of theirs. */
async function loadTask(ctx: TenantContext, taskCaseId: string) {
  const { getCase } = await import("./cases.server");
  const task = await getCase(ctx, taskCaseId);
  const workflow = task ? ctx.compiled.workflows.get(task.workflowId) : undefined;
  if (!task || !workflow?.fanOut) return null;
  const mayAct = ctx.actor.posts.some((p) => workflow.fanOut?.by.includes(p));
  return { task, fanOut: workflow.fanOut, mayAct };
}

/** The township transition by `$county` out of the case's state that does what the county asks. */
function countyTransition(workflow: Workflow | undefined, state: string, want: "supervise" | Progress) {
  return workflow?.transitions?.find(
    (t) =>
      t.by?.includes("$county") &&
      t.from.includes(state) &&
      (want === "supervise"
        ? (t.effects ?? []).some((e) => e.type === "supervision-sheet")
        : workflow.states[t.to]?.progress === want),
  );
}

/** Each township's case of a county task: where it is, whether it is late, how the county judged it. */
export async function taskProgress(db: Db, ctx: TenantContext, taskCaseId: string) {
  const loaded = await loadTask(ctx, taskCaseId);
  if (!loaded) return null;
  const { task, fanOut, mayAct } = loaded;
  // Row-level security lets the county read its own townships' task cases (never write them).
  const rows = await ctx.db.transaction((tx) =>
    tx.case.findMany({ where: { taskId: task.id }, orderBy: { createdAt: "asc" } }),
  );
  const tenants = await db.tenant.findMany({
    where: { id: { in: rows.map((r) => r.tenantId) }, parentId: ctx.tenant.id },
  });
  const due = (task.data as Record<string, unknown>)[fanOut.due];
  const tz = ctx.compiled.defaults.timeZone;
  const verdicts = new Map<string, Verdict>();
  for (const e of task.auditEvents)
    if (e.type === "case.task-evaluated") {
      const d = e.data as { townshipCaseId: string; verdict: Verdict["verdict"]; reason?: string };
      verdicts.set(d.townshipCaseId, { verdict: d.verdict, reason: d.reason, at: e.at.toISOString() });
    }
  const out: TaskRow[] = [];
  // One row per township in a stable order (the cases are opened by separate jobs, in any order).
  const code = (tenantId: string) => tenants.find((t) => t.id === tenantId)?.code ?? "";
  rows.sort((a, b) => code(a.tenantId).localeCompare(code(b.tenantId)));
  // Every township case's transitions and sheet counts in two reads, not two per township.
  const ids = rows.map((r) => r.id);
  const [transitions, sheetCounts] = await Promise.all([
    db.auditEvent.findMany({
      where: { caseId: { in: ids }, type: "case.transition" },
      orderBy: { seq: "asc" },
      select: { caseId: true, at: true, data: true },
    }),
    db.supervisionSheet.groupBy({ by: ["caseId"], where: { caseId: { in: ids } }, _count: { _all: true } }),
  ]);
  const sheetsOf = new Map(sheetCounts.map((g) => [g.caseId, g._count._all]));
  for (const r of rows) {
    const tenant = tenants.find((t) => t.id === r.tenantId);
    if (!tenant) continue;
    const own = await getTenantConfig(db, r.tenantId, r.configVersion);
    const workflow = own?.compiled.workflows.get(r.workflowId);
    const states = workflow?.states ?? {};
    const fedBackStates = Object.keys(states).filter((s) => states[s]?.progress === "fed-back");
    // When it first reached a fed-back state: the county's deadline is judged on that.
    const fedBack = transitions.find(
      (e) => e.caseId === r.id && fedBackStates.includes(String((e.data as { to?: string }).to)),
    );
    const judgedAt = fedBack?.at ?? ctx.now;
    const progress = (states[r.state]?.progress ?? null) as Progress | null;
    out.push({
      caseId: r.id,
      township: tenant.name,
      number: r.number,
      state: states[r.state]?.name ?? { zh: r.state },
      progress,
      fedBackAt: fedBack?.at.toISOString() ?? null,
      late: typeof due === "string" && localDate(judgedAt, tz) > due,
      sheets: sheetsOf.get(r.id) ?? 0,
      verdict: verdicts.get(r.id) ?? null,
      can: {
        supervise: mayAct && !!countyTransition(workflow, r.state, "supervise"),
        evaluate: mayAct && !!countyTransition(workflow, r.state, "accepted"),
      },
    });
  }
  return {
    task: { id: task.id, number: task.number, title: task.title, due: typeof due === "string" ? due : null },
    rows: out,
  };
}

export type TaskAction = { kind: "supervise" } | { kind: "accept" } | { kind: "return"; reason: string };

/**
 * The county supervises or evaluates one township's case: the township workflow's `$county`
 * transition fires on the owner connection (the county cannot write a township's rows), and the
 * county's task records the fact (`case.task-supervised`, `case.task-evaluated`) for its scoring.
 */
export async function actOnTownshipTask(
  db: Db,
  ctx: TenantContext,
  taskCaseId: string,
  townshipCaseId: string,
  action: TaskAction,
) {
  const loaded = await loadTask(ctx, taskCaseId);
  if (!loaded) return { ok: false as const, notFound: true as const };
  if (!loaded.mayAct) return { ok: false as const, refusal: "not-allowed" as const };
  const progress = await taskProgress(db, ctx, taskCaseId);
  const row = progress?.rows.find((r) => r.caseId === townshipCaseId);
  if (!row) return { ok: false as const, notFound: true as const };
  const now = ctx.now;
  const result = await db.$transaction(async (tx) => {
    const c = await tx.case.findUniqueOrThrow({ where: { id: townshipCaseId } });
    const own = await getTenantConfig(tx as unknown as Db, c.tenantId, c.configVersion);
    const workflow = own?.compiled.workflows.get(c.workflowId);
    const want = action.kind === "supervise" ? "supervise" : action.kind === "accept" ? "accepted" : "in-progress";
    const transition = countyTransition(workflow, c.state, want);
    if (!transition) return null;
    const fired = await fireCountyResult(
      tx,
      c.id,
      { countyId: ctx.tenant.id, userId: ctx.user.id },
      { transitionId: transition.id, input: action.kind === "return" ? { reason: action.reason } : {} },
      now,
    );
    if (!fired.ok) return fired;
    await appendAudit(tx, {
      tenantId: ctx.tenant.id,
      caseId: taskCaseId,
      actorId: ctx.user.id,
      type: action.kind === "supervise" ? "case.task-supervised" : "case.task-evaluated",
      data: {
        townshipCaseId: c.id,
        township: row.township,
        townshipNumber: row.number,
        late: row.late,
        ...(action.kind === "supervise"
          ? {}
          : {
              verdict: action.kind === "accept" ? "accepted" : "returned",
              reason: action.kind === "return" ? action.reason : undefined,
            }),
      },
      at: now,
    });
    return fired;
  });
  if (!result) return { ok: false as const, refusal: "not-allowed" as const };
  if (!result.ok) return { ok: false as const, refusal: result.refusal.kind };
  await relayOutbox(result.outbox);
  return { ok: true as const };
}
