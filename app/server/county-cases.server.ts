// Cases escalated to the county (docs/decisions/039-county-cases-linked-to-township-cases.md): the
// county opens its own case, in its own tenant and config, linked to the township's; every county
// step is mirrored into the township's trail; a county case that ends in a state with `returnsTo`
// fires that `$county` transition on the township case with the result. Both run as outbox jobs on
// the owner connection, committed with the step that caused them.
import { randomUUID } from "node:crypto";
import type { CaseState } from "#engine/case-state";
import type { CompiledConfig } from "#engine/config/index";
import type { Text } from "#engine/i18n";
import { decideIntake } from "#engine/intake";
import { appendAudit } from "./audit.server";
import { insertNewCase } from "./cases.server";
import { getTenantConfig } from "./config.server";
import type { Tx } from "./db.server";
import { applyOutcomes } from "./effects.server";
import { writeOutbox, type OutboxRef, type OutboxRow } from "./outbox.server";
import { transitionFormFor } from "./transition-forms.server";
import { fireCountyResult } from "./workflow.server";

type Job = { tenantId: string; payload: unknown; dedupeKey: string };

/** The county's category for escalated cases: the one whose workflow hands results back (`returnsTo`). */
function escalationCategory(compiled: CompiledConfig) {
  return [...compiled.categories.values()].find((c) =>
    Object.values(compiled.workflows.get(c.workflow)?.states ?? {}).some((s) => s.returnsTo),
  );
}

/** Job `county-intake`: a township handed a case over; the county opens its own linked case. */
export async function openCountyCase(tx: Tx, job: Job, now: Date): Promise<OutboxRef[]> {
  const { caseId, reason, notice } = job.payload as { caseId: string; reason: string; notice?: OutboxRow };
  const source = await tx.case.findUniqueOrThrow({
    where: { id: caseId },
    include: { tenant: { select: { parentId: true, name: true, code: true } } },
  });
  const countyId = source.tenant.parentId;
  if (!countyId || (await tx.case.findUnique({ where: { sourceCaseId: caseId }, select: { id: true } }))) return [];
  const config = await getTenantConfig(tx, countyId);
  const category = config && escalationCategory(config.compiled);
  // A county without a config of its own (or without an escalation workflow) only gets the notice.
  if (!config || !category)
    return notice
      ? writeOutbox(tx, [{ ...notice, runAt: new Date(notice.runAt), dedupeKey: job.dedupeKey + ":notice" }])
      : [];
  const decision = decideIntake(
    {
      compiled: config.compiled,
      configVersion: config.version,
      actor: {
        userId: source.escalatedBy ?? source.reporterId,
        tenantId: countyId,
        unitId: category.platform,
        posts: [],
      },
      now,
      caseId: randomUUID(),
      trusted: true,
    },
    {
      categoryId: category.id,
      data: { title: source.title, township: source.tenant.name, sourceNumber: source.number, reason },
    },
  );
  if (!decision.ok) throw new Error(`county intake refused: ${JSON.stringify(decision.refusal.issues)}`);
  const c = decision.case;
  const number = await insertNewCase(tx, c, now, { sourceCaseId: caseId, sourceTenant: source.tenant.code });
  const outbox = await applyOutcomes(
    tx,
    {
      tenantId: countyId,
      actorId: c.reporterId,
      caseId: c.id,
      caseTitle: c.title,
      now,
      timeZone: config.compiled.defaults.timeZone,
    },
    decision.outcomes,
  );
  await appendAudit(tx, {
    tenantId: source.tenantId,
    caseId,
    actorId: null,
    type: "case.county-received",
    data: { countyCaseId: c.id, countyNumber: number },
    at: now,
  });
  return outbox;
}

/** The outbox row a county case's step writes in its own transaction (tenant: the county). */
export function countyStepJob(
  row: { id: string; tenantId: string; sourceCaseId: string | null },
  command: { transitionId: string; input?: unknown },
  next: CaseState,
  actorId: string,
  now: Date,
): OutboxRow {
  return {
    tenantId: row.tenantId,
    kind: "county-step",
    payload: { countyCaseId: row.id, transitionId: command.transitionId, input: command.input ?? null, actorId },
    dedupeKey: `county-step:${row.id}:v${next.version}`,
    runAt: now,
  };
}

type Note = { title: Text; value: Text };

/** A transition's input in both languages, for the township's trail (it has no county config). */
function notesOf(compiled: CompiledConfig, formId: string | undefined, input: unknown): Note[] {
  if (!formId || !input || typeof input !== "object") return [];
  const zh = transitionFormFor(compiled, formId, "zh-CN");
  const en = transitionFormFor(compiled, formId, "en");
  if (!zh || !en) return [];
  type Prop = { title?: string };
  // Units by name (the township has no county org tree); other values as typed.
  const show = (v: unknown, locale: "zh" | "en"): string => {
    if (Array.isArray(v)) return v.map((x) => show(x, locale)).join("、");
    const unit = compiled.org.byId.get(String(v));
    return unit ? (locale === "en" ? (unit.name.en ?? unit.name.zh) : unit.name.zh) : String(v);
  };
  return Object.entries(input as Record<string, unknown>)
    .filter(([, v]) => typeof v === "string" || (Array.isArray(v) && v.length))
    .filter(([, v]) => v !== "")
    .map(([key, v]) => {
      const pz = (zh.schema.properties as Record<string, Prop> | undefined)?.[key];
      const pe = (en.schema.properties as Record<string, Prop> | undefined)?.[key];
      return {
        title: { zh: pz?.title ?? key, en: pe?.title ?? key },
        value: { zh: show(v, "zh"), en: show(v, "en") },
      };
    });
}

/**
 * Job `county-step`: a county case moved. The township case's trail gets the step; a county case
 * that ended in a state with `returnsTo` fires that transition on the township case with the input
 * the township's form declares.
 */
export async function mirrorCountyStep(tx: Tx, job: Job, now: Date): Promise<OutboxRef[]> {
  const p = job.payload as { countyCaseId: string; transitionId: string; input: unknown; actorId: string };
  const county = await tx.case.findUniqueOrThrow({ where: { id: p.countyCaseId } });
  if (!county.sourceCaseId) return [];
  const config = await getTenantConfig(tx, county.tenantId, county.configVersion);
  if (!config) throw new Error(`Case ${county.id}: config version ${county.configVersion} is missing`);
  const workflow = config.compiled.workflows.get(county.workflowId);
  const transition = workflow?.transitions?.find((t) => t.id === p.transitionId);
  const to = transition ? workflow?.states[transition.to] : undefined;
  const source = await tx.case.findUniqueOrThrow({ where: { id: county.sourceCaseId } });
  await appendAudit(tx, {
    tenantId: source.tenantId,
    caseId: source.id,
    actorId: p.actorId,
    type: "case.county-step",
    data: {
      countyCaseId: county.id,
      countyNumber: county.number,
      transition: transition?.name ?? { zh: p.transitionId },
      to: to?.name ?? { zh: transition?.to ?? "" },
      notes: notesOf(config.compiled, transition?.form, p.input),
    },
    at: now,
  });
  if (!to?.returnsTo) return [];
  const township = await getTenantConfig(tx, source.tenantId, source.configVersion);
  const townshipForm = township?.compiled.workflows
    .get(source.workflowId)
    ?.transitions?.find((t) => t.id === to.returnsTo)?.form;
  const declared = Object.keys((townshipForm && township?.compiled.forms.get(townshipForm)?.schema.properties) || {});
  const input = Object.fromEntries(
    Object.entries((p.input ?? {}) as Record<string, unknown>).filter(([k]) => declared.includes(k)),
  );
  const fired = await fireCountyResult(
    tx,
    source.id,
    { countyId: county.tenantId, userId: p.actorId },
    { transitionId: to.returnsTo, input },
    now,
  );
  if (fired.ok) return fired.outbox;
  // The township moved the case meanwhile (or its form refuses the result): say so in its trail.
  await appendAudit(tx, {
    tenantId: source.tenantId,
    caseId: source.id,
    actorId: null,
    type: "case.county-result-refused",
    data: { countyCaseId: county.id, transitionId: to.returnsTo, refusal: fired.refusal.kind },
    at: now,
  });
  return [];
}
