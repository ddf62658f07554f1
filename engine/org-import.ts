// Villages, communities and grids of a township, from a table a person typed or a CSV/XLSX file:
// columns kind, id, name, name_en, parent, gridType. Pure: the server reads the file into rows of
// text (exceljs for XLSX) and the browser checks the typed table with the same rules.
// Validation never throws; every problem names its row (as the person sees it) and what is wrong.
import type { Bilingual } from "./i18n";

export const ORG_COLUMNS = ["kind", "id", "name", "name_en", "parent", "gridType"] as const;
type OrgColumn = (typeof ORG_COLUMNS)[number];
export type OrgRow = Record<OrgColumn, string>;

/** The unit kinds a township lists itself; the rest (platforms, command room …) come from its template. */
export const ORG_IMPORT_KINDS = ["village", "community", "grid", "micro-grid"] as const;
type OrgImportKind = (typeof ORG_IMPORT_KINDS)[number];
const GRID_TYPES = ["comprehensive", "dedicated"] as const;

/** A unit as the township config writes it. */
export type OrgUnit = {
  id: string;
  kind: string;
  name: { zh: string; en?: string };
  parent?: string;
  gridType?: "comprehensive" | "dedicated";
};

/** A row problem: `row` is the spreadsheet row (header = 1) or the typed table's row (first = 1). */
export type RowIssue = { row: number; column?: OrgColumn; code: string; message: Bilingual };

const MAX_ORG_ROWS = 5000;

const ID_PATTERN = /^[a-z0-9][a-z0-9-]*$/;

// People write headers and values in Chinese as often as in English.
const HEADER_ALIASES: Record<string, OrgColumn> = {
  kind: "kind",
  type: "kind",
  类型: "kind",
  单位类型: "kind",
  id: "id",
  code: "id",
  编号: "id",
  代码: "id",
  name: "name",
  name_zh: "name",
  名称: "name",
  中文名称: "name",
  name_en: "name_en",
  nameen: "name_en",
  english: "name_en",
  英文名称: "name_en",
  英文名: "name_en",
  parent: "parent",
  上级: "parent",
  上级单位: "parent",
  上级编号: "parent",
  gridtype: "gridType",
  grid_type: "gridType",
  网格类型: "gridType",
};
const KIND_ALIASES: Record<string, OrgImportKind> = {
  village: "village",
  村: "village",
  行政村: "village",
  community: "community",
  社区: "community",
  grid: "grid",
  网格: "grid",
  "micro-grid": "micro-grid",
  microgrid: "micro-grid",
  微网格: "micro-grid",
};
const GRID_TYPE_ALIASES: Record<string, (typeof GRID_TYPES)[number]> = {
  comprehensive: "comprehensive",
  综合: "comprehensive",
  综合网格: "comprehensive",
  dedicated: "dedicated",
  专属: "dedicated",
  专属网格: "dedicated",
};

const COLUMN_NAMES: Record<OrgColumn, Bilingual> = {
  kind: { zh: "类型", en: "kind" },
  id: { zh: "编号", en: "id" },
  name: { zh: "名称", en: "name" },
  name_en: { zh: "英文名称", en: "English name" },
  parent: { zh: "上级", en: "parent" },
  gridType: { zh: "网格类型", en: "grid type" },
};

const KIND_NAMES: Record<string, Bilingual> = {
  village: { zh: "村", en: "village" },
  community: { zh: "社区", en: "community" },
  grid: { zh: "网格", en: "grid" },
  "micro-grid": { zh: "微网格", en: "micro-grid" },
};

function rowIssue(row: number, column: OrgColumn | undefined, code: string, zh: string, en: string): RowIssue {
  return { row, ...(column ? { column } : {}), code, message: { zh: `第 ${row} 行：${zh}`, en: `Row ${row}: ${en}` } };
}

/** RFC 4180 CSV: quoted fields, doubled quotes, CRLF or LF, a leading BOM. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  const input = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  for (let i = 0; i < input.length; i++) {
    const ch = input[i]!;
    if (quoted) {
      if (ch === '"') {
        if (input[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += ch;
      continue;
    }
    if (ch === '"' && field === "") quoted = true;
    else if (ch === ",") {
      row.push(field);
      field = "";
    } else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && input[i + 1] === "\n") i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
    } else field += ch;
  }
  if (field !== "" || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

export type ParsedTable = { rows: Array<{ row: number; values: OrgRow }>; issues: RowIssue[] };

/**
 * Reads a table whose first row names the columns (in any order, English or Chinese; unknown
 * columns are ignored). Rows with nothing in them are skipped; row numbers stay the file's.
 */
export function orgRowsFromTable(table: ReadonlyArray<ReadonlyArray<unknown>>): ParsedTable {
  const header = table[0];
  if (!header || header.every((c) => cellText(c) === "")) {
    return {
      rows: [],
      issues: [
        rowIssue(
          1,
          undefined,
          "import.no-header",
          "缺少表头（kind, id, name, name_en, parent, gridType）",
          "missing header row (kind, id, name, name_en, parent, gridType)",
        ),
      ],
    };
  }
  const columns = header.map(
    (c) => HEADER_ALIASES[cellText(c).toLowerCase().replace(/\s+/g, "")] ?? HEADER_ALIASES[cellText(c)],
  );
  const issues: RowIssue[] = [];
  for (const required of ["kind", "id", "name"] as const) {
    if (!columns.includes(required)) {
      issues.push(
        rowIssue(
          1,
          required,
          "import.missing-column",
          `表头缺少“${required}”（${COLUMN_NAMES[required].zh}）列`,
          `the header has no "${required}" column`,
        ),
      );
    }
  }
  if (issues.length) return { rows: [], issues };
  const rows: ParsedTable["rows"] = [];
  table.slice(1).forEach((cells, i) => {
    const values = Object.fromEntries(ORG_COLUMNS.map((c) => [c, ""])) as OrgRow;
    columns.forEach((column, k) => {
      if (column) values[column] = cellText(cells[k]);
    });
    if (ORG_COLUMNS.every((c) => values[c] === "")) return;
    rows.push({ row: i + 2, values });
  });
  if (rows.length > MAX_ORG_ROWS) {
    return {
      rows: [],
      issues: [
        rowIssue(
          MAX_ORG_ROWS + 2,
          undefined,
          "import.too-many-rows",
          `行数超过上限 ${MAX_ORG_ROWS}`,
          `more than ${MAX_ORG_ROWS} rows`,
        ),
      ],
    };
  }
  return { rows, issues };
}

function cellText(value: unknown): string {
  if (value === null || value === undefined) return "";
  return String(value).trim();
}

/** What the rows may refer to besides themselves: the template's units the township keeps. */
export type KnownUnit = { id: string; kind: string };

export type OrgCheck = { units: OrgUnit[]; issues: RowIssue[] };

/**
 * Checks rows and turns them into config units. A village or community without a parent sits
 * under `defaultParent` (the command room); a grid needs a village or community above it, a
 * micro-grid a grid.
 */
export function checkOrgRows(
  rows: ReadonlyArray<{ row: number; values: OrgRow }>,
  known: readonly KnownUnit[],
  defaultParent?: string,
): OrgCheck {
  const issues: RowIssue[] = [];
  const knownById = new Map(known.map((u) => [u.id, u]));
  const firstRowOf = new Map<string, number>();
  const kindOf = new Map<string, string>();
  for (const { row, values } of rows) {
    const kind = KIND_ALIASES[values.kind.toLowerCase()] ?? KIND_ALIASES[values.kind];
    if (kind && values.id && !firstRowOf.has(values.id)) {
      firstRowOf.set(values.id, row);
      kindOf.set(values.id, kind);
    }
  }

  const units: OrgUnit[] = [];
  for (const { row, values } of rows) {
    const before = issues.length;
    const kind = KIND_ALIASES[values.kind.toLowerCase()] ?? KIND_ALIASES[values.kind];
    if (!values.kind)
      issues.push(
        rowIssue(
          row,
          "kind",
          "import.kind-missing",
          "缺少类型（village 村、community 社区、grid 网格、micro-grid 微网格）",
          "kind is missing (village, community, grid or micro-grid)",
        ),
      );
    else if (!kind) {
      issues.push(
        rowIssue(
          row,
          "kind",
          "import.kind-unknown",
          `类型“${values.kind}”无效，应为 village 村、community 社区、grid 网格或 micro-grid 微网格`,
          `kind "${values.kind}" is not village, community, grid or micro-grid`,
        ),
      );
    }

    const id = values.id;
    if (!id) issues.push(rowIssue(row, "id", "import.id-missing", "缺少编号", "id is missing"));
    else if (!ID_PATTERN.test(id) || id.length > 64) {
      issues.push(
        rowIssue(
          row,
          "id",
          "import.id-invalid",
          `编号“${id}”只能用小写字母、数字和连字符，且以字母或数字开头`,
          `id "${id}" may only use lower-case letters, digits and hyphens, starting with a letter or digit`,
        ),
      );
    } else if (knownById.has(id)) {
      issues.push(
        rowIssue(
          row,
          "id",
          "import.id-taken",
          `编号“${id}”已被模板中的单位使用`,
          `id "${id}" is already used by a unit of the template`,
        ),
      );
    } else if (firstRowOf.get(id) !== undefined && firstRowOf.get(id) !== row) {
      issues.push(
        rowIssue(
          row,
          "id",
          "import.id-duplicate",
          `编号“${id}”与第 ${firstRowOf.get(id)} 行重复`,
          `id "${id}" repeats row ${firstRowOf.get(id)}`,
        ),
      );
    }

    if (!values.name) issues.push(rowIssue(row, "name", "import.name-missing", "缺少名称", "name is missing"));

    let parent: string | undefined = values.parent || undefined;
    if (kind) {
      const parentKind = parent ? (kindOf.get(parent) ?? knownById.get(parent)?.kind) : undefined;
      if (parent && parentKind === undefined) {
        issues.push(
          rowIssue(
            row,
            "parent",
            "import.parent-missing",
            `上级“${parent}”不存在`,
            `parent "${parent}" does not exist`,
          ),
        );
      } else if (kind === "grid" || kind === "micro-grid") {
        const allowed = kind === "grid" ? ["village", "community"] : ["grid"];
        const want = kind === "grid" ? { zh: "村或社区", en: "a village or community" } : { zh: "网格", en: "a grid" };
        if (!parent) {
          issues.push(
            rowIssue(
              row,
              "parent",
              "import.parent-required",
              `${KIND_NAMES[kind]!.zh}须填写上级（${want.zh}）`,
              `a ${KIND_NAMES[kind]!.en} needs a parent (${want.en})`,
            ),
          );
        } else if (!allowed.includes(parentKind!)) {
          issues.push(
            rowIssue(
              row,
              "parent",
              "import.parent-kind",
              `${KIND_NAMES[kind]!.zh}的上级须为${want.zh}，“${parent}”不是`,
              `the parent of a ${KIND_NAMES[kind]!.en} must be ${want.en}; "${parent}" is not`,
            ),
          );
        }
      } else if (parent && ["village", "community", "grid", "micro-grid"].includes(parentKind!)) {
        issues.push(
          rowIssue(
            row,
            "parent",
            "import.parent-kind",
            `村、社区不能隶属于“${parent}”`,
            `a village or community cannot sit under "${parent}"`,
          ),
        );
      } else if (!parent) parent = defaultParent;
    }

    let gridType: OrgUnit["gridType"];
    if (values.gridType) {
      gridType = GRID_TYPE_ALIASES[values.gridType.toLowerCase()] ?? GRID_TYPE_ALIASES[values.gridType];
      if (!gridType) {
        issues.push(
          rowIssue(
            row,
            "gridType",
            "import.grid-type-unknown",
            `网格类型“${values.gridType}”无效，应为 comprehensive 综合或 dedicated 专属`,
            `grid type "${values.gridType}" is not comprehensive or dedicated`,
          ),
        );
      } else if (kind && kind !== "grid" && kind !== "micro-grid") {
        issues.push(
          rowIssue(
            row,
            "gridType",
            "import.grid-type-not-grid",
            "只有网格可以填写网格类型",
            "only grids have a grid type",
          ),
        );
      }
    }

    if (issues.length === before && kind) {
      units.push({
        id,
        kind,
        name: { zh: values.name, ...(values.name_en ? { en: values.name_en } : {}) },
        ...(parent ? { parent } : {}),
        ...(gridType ? { gridType } : {}),
      });
    }
  }
  return { units, issues };
}

/** A file's table (header first) checked in one go. */
export function importOrgTable(
  table: ReadonlyArray<ReadonlyArray<unknown>>,
  known: readonly KnownUnit[],
  defaultParent?: string,
): OrgCheck & { rows: OrgRow[] } {
  const parsed = orgRowsFromTable(table);
  if (parsed.issues.length) return { units: [], rows: [], issues: parsed.issues };
  const checked = checkOrgRows(parsed.rows, known, defaultParent);
  // Rows for the editing table in canonical values (村 → village, 综合网格 → comprehensive), so its
  // drop-downs show what was imported; a refused file keeps its rows as written.
  return { ...checked, rows: checked.issues.length ? parsed.rows.map((r) => r.values) : unitsToRows(checked.units) };
}

/** Rows for a table a person edits, from config units (the reverse of checkOrgRows). */
export function unitsToRows(units: readonly OrgUnit[]): OrgRow[] {
  return units.map((u) => ({
    kind: u.kind,
    id: u.id,
    name: u.name.zh,
    name_en: u.name.en ?? "",
    parent: u.parent ?? "",
    gridType: u.gridType ?? "",
  }));
}

/** A CSV file of rows, header first, for a template to fill in or to download what was typed. */
export function rowsToCsv(rows: readonly OrgRow[]): string {
  const quote = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  return (
    [ORG_COLUMNS.join(","), ...rows.map((r) => ORG_COLUMNS.map((c) => quote(r[c])).join(","))].join("\r\n") + "\r\n"
  );
}
