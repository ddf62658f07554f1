// Exports of a case list (CSV or XLSX): only what the user may read and export, masked fields
// stay masked, every file carries a watermark of who and when, and every export is audited.
import ExcelJS from "exceljs";
import { localizeForm } from "#engine/forms";
import type { Locale } from "#engine/i18n";
import { translate } from "#app/i18n";
import { appendAudit } from "./audit.server";
import { labelsFor } from "./labels.server";
import { formatDateTime } from "#engine/time";
import { maskCaseData } from "./masking.server";
import { accessibleCases } from "./permissions.server";
import { addSheetRow, csvLine } from "./spreadsheet.server";
import type { TenantContext } from "./tenancy.server";

export type ExportFormat = "csv" | "xlsx";
const EXPORT_LIMIT = 10_000;

const COLUMNS = [
  "number",
  "title",
  "category",
  "grade",
  "status",
  "orgUnit",
  "platform",
  "reporter",
  "reportedAt",
  "details",
] as const;

export function watermark(ctx: TenantContext, at: Date, locale: Locale) {
  const when = formatDateTime(at, locale, ctx.compiled.defaults.timeZone);
  return locale === "en"
    ? `Gridwork export · ${ctx.user.displayName} (${ctx.user.login}) · ${when} · internal use only, do not forward`
    : `网格通导出 · ${ctx.user.displayName}（${ctx.user.login}）· ${when} · 仅限内部使用，禁止外传`;
}

export async function exportCases(ctx: TenantContext, format: ExportFormat, locale: Locale, now: Date) {
  const labels = labelsFor(ctx.compiled, locale);
  const rows = await ctx.db.transaction(async (tx) => {
    const found = await tx.case.findMany({
      where: {
        AND: [
          { tenantId: ctx.tenant.id },
          accessibleCases(ctx.ability, "read"),
          accessibleCases(ctx.ability, "export"),
        ],
      },
      orderBy: { createdAt: "desc" },
      take: EXPORT_LIMIT,
      include: { reporter: { select: { displayName: true } } },
    });
    await appendAudit(tx, {
      tenantId: ctx.tenant.id,
      actorId: ctx.user.id,
      type: "cases.exported",
      data: { format, count: found.length },
      at: now,
    });
    return found;
  });

  const table = rows.map((c) => {
    const formId = ctx.compiled.categories.get(c.categoryId)?.intakeForm ?? "";
    const form = ctx.compiled.forms.get(formId);
    const { data } = maskCaseData(ctx.compiled, ctx.ability, c, formId, c.data as Record<string, unknown>);
    const props = form
      ? ((localizeForm(form, locale).schema as { properties?: Record<string, { title?: string }> }).properties ?? {})
      : {};
    const details = Object.entries(data)
      .filter(([key]) => key in props)
      .map(([key, value]) => `${props[key]?.title ?? key}: ${String(value)}`)
      .join("; ");
    const states = labels.states[c.workflowId] ?? {};
    return [
      c.number,
      c.title,
      labels.categories[c.categoryId] ?? c.categoryId,
      labels.grades[c.gradeId] ?? c.gradeId,
      states[c.state]?.name ?? c.state,
      labels.units[c.orgUnitId] ?? c.orgUnitId,
      labels.units[c.platformId] ?? c.platformId,
      c.reporter.displayName,
      formatDateTime(c.createdAt, locale, ctx.compiled.defaults.timeZone),
      details,
    ];
  });
  const header = COLUMNS.map((k) => (k === "details" ? translate(locale, "details") : translate(locale, k)));
  const mark = watermark(ctx, now, locale);
  const base = `${ctx.tenant.code}-cases-${now.toISOString().slice(0, 10)}`;
  if (format === "csv") {
    const lines = [`# ${mark}`, csvLine(header), ...table.map(csvLine), `# ${mark}`];
    // A BOM so spreadsheet programs read the Chinese text as UTF-8.
    return {
      filename: `${base}.csv`,
      contentType: "text/csv; charset=utf-8",
      body: Buffer.from("\uFEFF" + lines.join("\r\n") + "\r\n", "utf8"),
      count: rows.length,
    };
  }
  const book = new ExcelJS.Workbook();
  book.creator = `${ctx.user.displayName} (${ctx.user.login})`;
  book.created = now;
  const sheet = book.addWorksheet(translate(locale, "cases"), {
    headerFooter: { oddHeader: `&C${mark}`, oddFooter: `&C${mark}` },
  });
  addSheetRow(sheet, [mark]);
  sheet.mergeCells(1, 1, 1, header.length);
  sheet.getRow(1).font = { italic: true, color: { argb: "FFB42318" } };
  addSheetRow(sheet, header).font = { bold: true };
  for (const r of table) addSheetRow(sheet, r);
  sheet.columns.forEach((col, i) => {
    col.width = i === 1 || i === header.length - 1 ? 40 : 16;
  });
  const body = Buffer.from(await book.xlsx.writeBuffer());
  return {
    filename: `${base}.xlsx`,
    contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    body,
    count: rows.length,
  };
}
