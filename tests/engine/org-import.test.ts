import { describe, expect, it } from "vitest";
import {
  checkOrgRows,
  importOrgTable,
  ORG_COLUMNS,
  orgRowsFromTable,
  parseCsv,
  rowsToCsv,
  unitsToRows,
  type OrgRow,
} from "#engine/org-import";

const known = [
  { id: "command-room", kind: "command-room" },
  { id: "platform-safety", kind: "platform" },
];
const row = (values: Partial<OrgRow>): OrgRow => ({
  kind: "",
  id: "",
  name: "",
  name_en: "",
  parent: "",
  gridType: "",
  ...values,
});
const rows = (...values: Array<Partial<OrgRow>>) => values.map((v, i) => ({ row: i + 2, values: row(v) }));

describe("parseCsv", () => {
  it.each([
    [
      "plain lines",
      "a,b\nc,d\n",
      [
        ["a", "b"],
        ["c", "d"],
      ],
    ],
    [
      "CRLF and no final newline",
      "a,b\r\nc,d",
      [
        ["a", "b"],
        ["c", "d"],
      ],
    ],
    [
      "a byte-order mark",
      "\uFEFFkind,id\nvillage,v1\n",
      [
        ["kind", "id"],
        ["village", "v1"],
      ],
    ],
    [
      "quoted commas, quotes and line breaks",
      'a,"b, c","say ""hi""","two\nlines"\n',
      [["a", "b, c", 'say "hi"', "two\nlines"]],
    ],
    ["empty fields", ",,\n", [["", "", ""]]],
  ])("reads %s", (_name, text, expected) => {
    expect(parseCsv(text)).toEqual(expected);
  });

  it("round-trips what rowsToCsv writes", () => {
    const data = [
      row({ kind: "village", id: "v-1", name: "桥头村, 一组", name_en: 'The "Bridge"', parent: "", gridType: "" }),
    ];
    const table = parseCsv(rowsToCsv(data));
    expect(table[0]).toEqual([...ORG_COLUMNS]);
    expect(orgRowsFromTable(table).rows.map((r) => r.values)).toEqual(data);
  });
});

describe("orgRowsFromTable", () => {
  it("maps headers in any order, in English or Chinese, and keeps the file's row numbers over blank rows", () => {
    const parsed = orgRowsFromTable([
      ["名称", "编号", "类型", "上级", "备注"],
      ["桥头村", "village-qiaotou", "村", "", "ignored"],
      ["", "", "", "", ""],
      ["桥头村第一网格", "grid-qiaotou-1", "网格", "village-qiaotou", ""],
    ]);
    expect(parsed.issues).toEqual([]);
    expect(parsed.rows.map((r) => [r.row, r.values.id, r.values.kind, r.values.name])).toEqual([
      [2, "village-qiaotou", "村", "桥头村"],
      [4, "grid-qiaotou-1", "网格", "桥头村第一网格"],
    ]);
  });

  it("names the columns a header lacks", () => {
    const parsed = orgRowsFromTable([
      ["kind", "名称"],
      ["village", "x"],
    ]);
    expect(parsed.issues.map((i) => [i.row, i.column, i.code])).toEqual([[1, "id", "import.missing-column"]]);
    expect(parsed.issues[0]!.message.zh).toBe("第 1 行：表头缺少“id”（编号）列");
  });

  it("refuses an empty file", () => {
    expect(orgRowsFromTable([]).issues[0]!.code).toBe("import.no-header");
  });
});

describe("checkOrgRows", () => {
  it("turns good rows into units: villages default under the command room, Chinese kinds and grid types accepted", () => {
    const result = checkOrgRows(
      rows(
        { kind: "village", id: "v-nanhu", name: "南湖村", name_en: "Nanhu Village" },
        { kind: "社区", id: "c-east", name: "东社区" },
        { kind: "grid", id: "g-1", name: "南湖村第一网格", parent: "v-nanhu", gridType: "综合" },
        { kind: "micro-grid", id: "m-1", name: "微网格", parent: "g-1" },
        { kind: "grid", id: "g-market", name: "市场专属网格", parent: "c-east", gridType: "dedicated" },
      ),
      known,
      "command-room",
    );
    expect(result.issues).toEqual([]);
    expect(result.units).toEqual([
      { id: "v-nanhu", kind: "village", name: { zh: "南湖村", en: "Nanhu Village" }, parent: "command-room" },
      { id: "c-east", kind: "community", name: { zh: "东社区" }, parent: "command-room" },
      { id: "g-1", kind: "grid", name: { zh: "南湖村第一网格" }, parent: "v-nanhu", gridType: "comprehensive" },
      { id: "m-1", kind: "micro-grid", name: { zh: "微网格" }, parent: "g-1" },
      { id: "g-market", kind: "grid", name: { zh: "市场专属网格" }, parent: "c-east", gridType: "dedicated" },
    ]);
  });

  it("lets a row refer to a parent further down the file", () => {
    const result = checkOrgRows(
      rows({ kind: "grid", id: "g-1", name: "网格", parent: "v-1" }, { kind: "village", id: "v-1", name: "村" }),
      known,
      "command-room",
    );
    expect(result.issues).toEqual([]);
  });

  type Bad = [string, Partial<OrgRow>, string, string, string];
  it.each<Bad>([
    ["a missing kind", { id: "x", name: "X" }, "kind", "import.kind-missing", "第 2 行：缺少类型"],
    ["an unknown kind", { kind: "town", id: "x", name: "X" }, "kind", "import.kind-unknown", "第 2 行：类型“town”无效"],
    ["a missing id", { kind: "village", name: "X" }, "id", "import.id-missing", "第 2 行：缺少编号"],
    [
      "an id with capitals",
      { kind: "village", id: "Village-1", name: "X" },
      "id",
      "import.id-invalid",
      "第 2 行：编号“Village-1”只能用小写字母",
    ],
    [
      "an id the template uses",
      { kind: "village", id: "platform-safety", name: "X" },
      "id",
      "import.id-taken",
      "第 2 行：编号“platform-safety”已被模板中的单位使用",
    ],
    ["a missing name", { kind: "village", id: "x" }, "name", "import.name-missing", "第 2 行：缺少名称"],
    [
      "a parent that does not exist",
      { kind: "grid", id: "g", name: "G", parent: "nowhere" },
      "parent",
      "import.parent-missing",
      "第 2 行：上级“nowhere”不存在",
    ],
    [
      "a grid without a parent",
      { kind: "grid", id: "g", name: "G" },
      "parent",
      "import.parent-required",
      "第 2 行：网格须填写上级（村或社区）",
    ],
    [
      "a grid under a platform",
      { kind: "grid", id: "g", name: "G", parent: "platform-safety" },
      "parent",
      "import.parent-kind",
      "第 2 行：网格的上级须为村或社区",
    ],
    [
      "an unknown grid type",
      { kind: "grid", id: "g", name: "G", parent: "command-room", gridType: "huge" },
      "gridType",
      "import.grid-type-unknown",
      "第 2 行：网格类型“huge”无效",
    ],
    [
      "a grid type on a village",
      { kind: "village", id: "v", name: "V", gridType: "dedicated" },
      "gridType",
      "import.grid-type-not-grid",
      "第 2 行：只有网格可以填写网格类型",
    ],
  ])("reports %s with its row, column and a bilingual message", (_name, values, column, code, zh) => {
    const result = checkOrgRows(rows(values), known, "command-room");
    const found = result.issues.find((i) => i.code === code);
    expect(found, JSON.stringify(result.issues)).toBeDefined();
    expect(found).toMatchObject({ row: 2, column });
    expect(found!.message.zh.startsWith(zh)).toBe(true);
    expect(found!.message.en).toMatch(/^Row 2: /);
    expect(result.units).toEqual([]);
  });

  it("reports a repeated id at the later row, naming the first", () => {
    const result = checkOrgRows(
      rows({ kind: "village", id: "v", name: "A" }, { kind: "village", id: "v", name: "B" }),
      known,
      "command-room",
    );
    expect(result.issues).toEqual([
      {
        row: 3,
        column: "id",
        code: "import.id-duplicate",
        message: { zh: "第 3 行：编号“v”与第 2 行重复", en: 'Row 3: id "v" repeats row 2' },
      },
    ]);
    expect(result.units.map((u) => u.name.zh)).toEqual(["A"]);
  });

  it("reports every problem of every row at once", () => {
    const result = importOrgTable(
      [
        ["kind", "id", "name", "name_en", "parent", "gridType"],
        ["village", "v-ok", "好村", "", "", ""],
        ["grid", "g-bad", "坏网格", "", "v-missing", ""],
        ["foo", "BAD", "", "", "", ""],
      ],
      known,
      "command-room",
    );
    expect(result.issues.map((i) => [i.row, i.code])).toEqual([
      [3, "import.parent-missing"],
      [4, "import.kind-unknown"],
      [4, "import.id-invalid"],
      [4, "import.name-missing"],
    ]);
  });

  it("gives an imported file's rows back in the table's own values, Chinese headers and values included", () => {
    const result = importOrgTable(
      [
        ["类型", "编号", "名称", "英文名称", "上级", "网格类型"],
        ["村", "v-nan", "南溪村", "", "", ""],
        ["网格", "g-nan-1", "南溪村第一网格", "", "v-nan", "综合网格"],
        ["网格", "g-nan-2", "南溪村企业专属网格", "", "v-nan", "专属"],
      ],
      known,
      "command-room",
    );
    expect(result.issues).toEqual([]);
    expect(result.rows.map((r) => [r.kind, r.id, r.parent, r.gridType])).toEqual([
      ["village", "v-nan", "command-room", ""],
      ["grid", "g-nan-1", "v-nan", "comprehensive"],
      ["grid", "g-nan-2", "v-nan", "dedicated"],
    ]);
  });

  it("gives rows back for the table a person edits", () => {
    const units = checkOrgRows(
      rows({ kind: "village", id: "v", name: "村", name_en: "V" }),
      known,
      "command-room",
    ).units;
    expect(unitsToRows(units)).toEqual([
      row({ kind: "village", id: "v", name: "村", name_en: "V", parent: "command-room" }),
    ]);
  });
});
