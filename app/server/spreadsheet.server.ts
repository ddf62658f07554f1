// Cells of every exported spreadsheet. Text a person typed (a case title, a name) must never run
// as a formula in the program that opens the file (OWASP "CSV injection").
import type ExcelJS from "exceljs";

/** What a spreadsheet program may read as the start of a formula, or DDE through one. */
const FORMULA_START = /^[=+\-@\t\r]/;

/** Text that a spreadsheet shows as typed: a leading `'` makes Excel and LibreOffice take it as text. */
const inertText = (value: string) => (FORMULA_START.test(value) ? `'${value}` : value);

/** One CSV cell: inert, and quoted when it holds a quote, comma or line break. */
export function csvCell(value: unknown): string {
  const text = inertText(String(value ?? ""));
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export const csvLine = (values: readonly unknown[]) => values.map(csvCell).join(",");

/**
 * An XLSX row of numbers and strings only: a string cell is stored as a shared string, which no
 * spreadsheet evaluates, whatever it starts with (ExcelJS writes formulas only from `{ formula }`).
 */
export function addSheetRow(sheet: ExcelJS.Worksheet, values: readonly unknown[]) {
  return sheet.addRow(values.map((v) => (typeof v === "number" && Number.isFinite(v) ? v : String(v ?? ""))));
}
