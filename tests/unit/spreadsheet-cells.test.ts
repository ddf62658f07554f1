// One CSV cell escaper for every export (OWASP CSV injection): formula starts become text.
import { describe, expect, it } from "vitest";
import { csvCell } from "#app/server/spreadsheet.server";

describe("csvCell", () => {
  it.each([
    ["=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"],
    ["+1+1", "'+1+1"],
    ["-2+3", "'-2+3"],
    ["@SUM(A1)", "'@SUM(A1)"],
    ["\t=1", "'\t=1"],
    ["\r=1", `"'\r=1"`],
    ['=HYPERLINK("http://evil.example","x")', `"'=HYPERLINK(""http://evil.example"",""x"")"`],
    ["邻里噪音纠纷", "邻里噪音纠纷"],
    ["a, b", '"a, b"'],
    ["1=1", "1=1"],
    [42, "42"],
    [null, ""],
  ])("writes %j as %j", (value, cell) => {
    expect(csvCell(value)).toBe(cell);
  });
});
