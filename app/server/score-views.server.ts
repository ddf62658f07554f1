// What the scores page, the monthly review and its XLSX export show: the engine's report with
// names in the user's language, each ledger line explained (case, rule, fact). Only users who may
// read reports get here (the routes check `read Report`); the appeal page shows one line to the
// person or unit it names as well (canSeeLine).
import ExcelJS from "exceljs";
import { pickText, type Locale } from "#engine/i18n";
import { appealRefusal, appealSetup } from "#engine/appeal";
import { localizeForm } from "#engine/forms";
import type { Refusal } from "#engine/intake";
import {
  FACTS,
  isFactName,
  periodOf,
  type PeriodFigures,
  type Ranked,
  type Rated,
  type TargetGroup,
} from "#engine/scoring/index";
import { FIGURE_KEYS, figureLabel, formatFigure, GROUPS } from "#app/components/score-levels";
import { translate, type MessageKey } from "#app/i18n";
import { appendAudit } from "./audit.server";
import type { Db } from "./db.server";
import { watermark } from "./export.server";
import { addSheetRow } from "./spreadsheet.server";
import { labelsFor } from "./labels.server";
import { userNames } from "./supervision.server";
import {
  type periodLedger,
  periodReportFor,
  requirePeriod,
  countedLines,
  standingAppeals,
  type EntryAppeal,
} from "./scoring.server";
import type { TenantContext } from "./tenancy.server";

type RankRow = {
  id: string;
  kind: string;
  name: string;
  score: number;
  points: number;
  additions: number;
  deductions: number;
  lines: number;
  rank: number;
  level?: string;
  levelName?: string;
};
export type LineRow = {
  key: string;
  at: string;
  targetKind: string;
  targetId: string;
  target: string;
  rule: string;
  ruleName: string;
  fact: string;
  points: number;
  caseId: string | null;
  caseNumber: string | null;
  reverses: string | null;
};

/** The key of the month an instant (default now) falls in, in the township's time zone. */
export const currentPeriodKey = (timeZone: string, now: Date) => periodOf(timeZone, "month", now).key;

/** The period's report with names, rankings per group (rated where config rates), figures per platform and village. */
export async function scoreView(db: Db, ctx: TenantContext, periodKey: string, locale: Locale) {
  const period = requirePeriod(ctx.compiled.defaults.timeZone, periodKey);
  const { report, byPlatform, byVillage, ledger } = await periodReportFor(db, ctx.tenant.id, period.key);
  const labels = labelsFor(ctx.compiled, locale);
  const userIds = (report.rankings.user ?? []).map((r) => r.target.id);
  const users = await userNames(db, userIds);
  const nameOf = (kind: string, id: string) => (kind === "user" ? (users[id] ?? id) : (labels.units[id] ?? id));
  const rated = new Map<string, Rated>();
  for (const list of Object.values(report.ratings))
    for (const r of list ?? []) rated.set(`${r.target.kind}:${r.target.id}`, r);
  const rankings: Partial<Record<TargetGroup, RankRow[]>> = {};
  for (const group of GROUPS) {
    const list: Ranked[] | undefined = report.rankings[group];
    if (!list?.length) continue;
    rankings[group] = list.map((r) => {
      const level = rated.get(`${r.target.kind}:${r.target.id}`);
      return {
        id: r.target.id,
        kind: r.target.kind,
        name: nameOf(r.target.kind, r.target.id),
        score: r.score,
        points: r.points,
        additions: r.additions,
        deductions: r.deductions,
        lines: r.lines,
        rank: r.rank,
        ...(level ? { level: level.level, levelName: pickText(level.levelName, locale) } : {}),
      };
    });
  }
  const named = (m: Record<string, PeriodFigures>) =>
    Object.entries(m).map(([id, figures]) => ({ id, name: labels.units[id] ?? id, figures }));
  return {
    period,
    figures: report.figures,
    rankings,
    byPlatform: named(byPlatform),
    byVillage: named(byVillage),
    nameOf,
    ledger,
  };
}

type EntryRow = Awaited<ReturnType<typeof periodLedger>>[number];

/** Ledger rows (e.g. the period's, as scoreView read them) with their rule's name, their fact and their case number. */
export async function explainedLines(
  db: Db,
  ctx: TenantContext,
  entries: EntryRow[],
  locale: Locale,
  nameOf: (kind: string, id: string) => string,
): Promise<LineRow[]> {
  const caseIds = [...new Set(entries.map((e) => e.caseId).filter((x): x is string => !!x))];
  const numbers = caseIds.length
    ? await db.case.findMany({
        where: { tenantId: ctx.tenant.id, id: { in: caseIds } },
        select: { id: true, number: true },
      })
    : [];
  const numberOf = new Map(numbers.map((c) => [c.id, c.number]));
  const rules = new Map((ctx.compiled.config.scoring?.rules ?? []).map((r) => [r.id, pickText(r.name, locale)]));
  return entries.map((e) => ({
    key: e.dedupeKey,
    at: e.at.toISOString(),
    targetKind: e.targetKind,
    targetId: e.targetId,
    target: nameOf(e.targetKind, e.targetId),
    rule: e.rule,
    ruleName: rules.get(e.rule) ?? e.rule,
    fact: e.fact && isFactName(e.fact) ? pickText(FACTS[e.fact].name, locale) : (e.fact ?? ""),
    points: e.points,
    caseId: e.caseId,
    caseNumber: e.caseId ? (numberOf.get(e.caseId) ?? null) : null,
    reverses: e.reverses,
  }));
}

/** One rule-produced ledger line of the township, explained; null when the ledger has no such line. */
export async function explainedLine(db: Db, ctx: TenantContext, key: string, locale: Locale): Promise<LineRow | null> {
  const entry = await db.scoreEntry.findFirst({ where: { tenantId: ctx.tenant.id, dedupeKey: key, ...countedLines } });
  if (!entry) return null;
  const labels = labelsFor(ctx.compiled, locale);
  const users = entry.targetKind === "user" ? await userNames(db, [entry.targetId]) : {};
  const [line] = await explainedLines(db, ctx, [entry], locale, (kind, id) =>
    kind === "user" ? (users[id] ?? id) : (labels.units[id] ?? id),
  );
  return line ?? null;
}

export type AppealMark = { appeal: EntryAppeal | null; mayAppeal: boolean };

/**
 * What the ledger shows about appeals beside each line: the appeal standing against it, or
 * whether the user may file one (the engine's own rule, appealRefusal, so the link and the
 * server agree).
 */
export async function appealMarks(
  db: Db,
  ctx: TenantContext,
  periodKey: string,
  lines: LineRow[],
): Promise<Record<string, AppealMark>> {
  if (!appealSetup(ctx.compiled)) return {};
  const period = requirePeriod(ctx.compiled.defaults.timeZone, periodKey);
  const appeals = await standingAppeals(db, ctx.tenant.id, ctx.compiled, { since: new Date(period.start) });
  return Object.fromEntries(
    lines.map((l) => {
      const appeal = appeals.get(l.key) ?? null;
      return [l.key, { appeal, mayAppeal: appealRefusalFor(ctx, l, appeal) === null }];
    }),
  );
}

/** A line is shown to those who read reports and to the person or unit it names. */
export function canSeeLine(ctx: TenantContext, line: LineRow): boolean {
  const mine = line.targetKind === "user" ? line.targetId === ctx.user.id : line.targetId === ctx.membership.unitId;
  return mine || ctx.ability.can("read", "Report");
}

/** Why the user may not appeal this line (bilingual issues), or null when they may. */
export function appealRefusalFor(ctx: TenantContext, line: LineRow, appeal: EntryAppeal | null): Refusal | null {
  const target = { kind: line.targetKind === "user" ? ("user" as const) : ("unit" as const), id: line.targetId };
  return appealRefusal(
    ctx.compiled,
    ctx.actor,
    { rule: line.rule, target, points: line.points, at: line.at, dedupeKey: line.key, reverses: line.reverses },
    appeal !== null,
  );
}

/**
 * The township's appeal form for RJSF in the user's language. The entry it disputes is fixed by
 * the page (shown above the form), so the config's entry widget becomes a hidden field.
 */
export function appealFormFor(ctx: TenantContext, locale: Locale) {
  const setup = appealSetup(ctx.compiled);
  const form = setup ? ctx.compiled.forms.get(setup.appeal.form) : undefined;
  if (!setup || !form) return null;
  const localized = localizeForm(form, locale);
  const uiSchema = structuredClone(localized.uiSchema) as Record<string, unknown>;
  uiSchema[setup.field] = { ...(uiSchema[setup.field] as object | undefined), "ui:widget": "hidden" };
  return { name: pickText(form.name, locale), field: setup.field, schema: localized.schema, uiSchema };
}

/** The monthly review as an XLSX workbook with the exporter's watermark; audited `scores.exported`. */
export async function exportPeriodReport(db: Db, ctx: TenantContext, periodKey: string, locale: Locale, now: Date) {
  const view = await scoreView(db, ctx, periodKey, locale);
  const t = (k: MessageKey) => translate(locale, k);
  const mark = watermark(ctx, now, locale);
  const book = new ExcelJS.Workbook();
  book.creator = `${ctx.user.displayName} (${ctx.user.login})`;
  book.created = now;
  const sheetWith = (name: string, header: string[]) => {
    const sheet = book.addWorksheet(name, { headerFooter: { oddHeader: `&C${mark}`, oddFooter: `&C${mark}` } });
    addSheetRow(sheet, [mark]);
    sheet.mergeCells(1, 1, 1, header.length);
    sheet.getRow(1).font = { italic: true, color: { argb: "FFB42318" } };
    addSheetRow(sheet, header).font = { bold: true };
    sheet.columns.forEach((col, i) => (col.width = i === 0 ? 24 : 12));
    return sheet;
  };
  const figures = sheetWith(t("reviewFigures"), [t("scoresTarget"), ...FIGURE_KEYS.map((k) => t(figureLabel(k)))]);
  const row = (name: string, f: PeriodFigures) =>
    addSheetRow(figures, [name, ...FIGURE_KEYS.map((k) => formatFigure(k, f[k]))]);
  row(t("reviewAll"), view.figures);
  for (const p of view.byPlatform) row(p.name, p.figures);
  for (const v of view.byVillage) row(v.name, v.figures);
  for (const group of GROUPS) {
    const list = view.rankings[group];
    if (!list) continue;
    const sheet = sheetWith(t(`group.${group}` as MessageKey), [
      t("scoresRank"),
      t("scoresTarget"),
      t("scoresScore"),
      t("scoresAdditions"),
      t("scoresDeductions"),
      t("scoresLevel"),
    ]);
    for (const r of list) addSheetRow(sheet, [r.rank, r.name, r.score, r.additions, r.deductions, r.levelName ?? ""]);
  }
  for (const sheet of book.worksheets) addSheetRow(sheet, [mark]).font = { italic: true, color: { argb: "FFB42318" } };
  const body = Buffer.from(await book.xlsx.writeBuffer());
  await ctx.db.transaction((tx) =>
    appendAudit(tx, {
      tenantId: ctx.tenant.id,
      actorId: ctx.user.id,
      type: "scores.exported",
      data: { period: view.period.key, format: "xlsx" },
      at: now,
    }),
  );
  return {
    filename: `${ctx.tenant.code}-review-${view.period.key}.xlsx`,
    contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    body,
  };
}
