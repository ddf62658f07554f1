// Reads an uploaded villages/grids file (CSV or XLSX) into rows of text; the engine checks them
// (engine/org-import.ts). Row numbers are the spreadsheet's, so a problem names the row a person sees.
import ExcelJS from "exceljs";
import { COUNT_LIMITS, MiB } from "#engine/limits";
import { importOrgTable, parseCsv, type KnownUnit, type OrgRow, type OrgUnit, type RowIssue } from "#engine/org-import";

export const MAX_IMPORT_BYTES = 2 * 1024 * 1024;
/** Rows below the header: as many as a config may have org units. */
const MAX_IMPORT_ROWS = COUNT_LIMITS.find((l) => l.at.join("/") === "org/units")!.limit;
/** The file has six columns; cells further right are not read. */
const MAX_IMPORT_COLUMNS = 50;

export type OrgImport = { units: OrgUnit[]; rows: OrgRow[]; issues: RowIssue[] };

const fileIssue = (code: string, zh: string, en: string): OrgImport => ({
  units: [],
  rows: [],
  issues: [{ row: 1, code, message: { zh, en } }],
});

/** The file's cells, or how many rows it has when that is over the cap; null for a file type it cannot read. */
async function readOrgTable(name: string, bytes: Uint8Array): Promise<string[][] | { tooMany: number } | null> {
  const lower = name.toLowerCase();
  if (lower.endsWith(".csv") || lower.endsWith(".txt")) {
    return parseCsv(new TextDecoder("utf-8").decode(bytes));
  }
  if (lower.endsWith(".xlsx")) {
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(Buffer.from(bytes) as never);
    const sheet = book.worksheets[0];
    if (!sheet) return [];
    // A small file can still hold a huge sheet: refused before a cell is read.
    if (sheet.rowCount > MAX_IMPORT_ROWS + 1) return { tooMany: sheet.rowCount - 1 };
    const columns = Math.min(sheet.columnCount, MAX_IMPORT_COLUMNS);
    const table: string[][] = [];
    for (let r = 1; r <= sheet.rowCount; r++) {
      const row = sheet.getRow(r);
      const cells: string[] = [];
      for (let c = 1; c <= columns; c++) cells.push(row.getCell(c).text ?? "");
      table.push(cells);
    }
    return table;
  }
  return null;
}

/** An uploaded file checked against the units it may refer to. Never throws on bad input. */
export async function importOrgFile(
  name: string,
  bytes: Uint8Array,
  known: readonly KnownUnit[],
  defaultParent?: string,
): Promise<OrgImport> {
  if (bytes.byteLength > MAX_IMPORT_BYTES) {
    return fileIssue(
      "import.too-large",
      `文件超过 ${MiB(MAX_IMPORT_BYTES)}`,
      `The file is larger than ${MiB(MAX_IMPORT_BYTES)}`,
    );
  }
  let table: Awaited<ReturnType<typeof readOrgTable>>;
  try {
    table = await readOrgTable(name, bytes);
  } catch (error) {
    return fileIssue(
      "import.unreadable",
      `无法读取文件：${(error as Error).message}`,
      `Cannot read the file: ${(error as Error).message}`,
    );
  }
  if (!table)
    return fileIssue("import.file-type", "只能导入 CSV 或 XLSX 文件", "Only CSV or XLSX files can be imported");
  if (!Array.isArray(table) || table.length > MAX_IMPORT_ROWS + 1) {
    const rows = Array.isArray(table) ? table.length - 1 : table.tooMany;
    return fileIssue(
      "limit.count",
      `文件过大：${rows} 行，上限 ${MAX_IMPORT_ROWS} 行`,
      `File too large: ${rows} rows, limit ${MAX_IMPORT_ROWS}`,
    );
  }
  return importOrgTable(table, known, defaultParent);
}
