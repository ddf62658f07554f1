// The UI's message formatter (app/locales, ADR 032): ICU plurals, every occurrence filled, a
// missing value visible rather than fatal, and both catalogs well-formed.
import { describe, expect, it } from "vitest";
import { en } from "#app/locales/en";
import { formatMessage, formatPattern, isMessageKey, LOCALES, translate, type MessageKey } from "#app/locales/index";
import { zhCN } from "#app/locales/zh-CN";

describe("translate", () => {
  it("says one working day and two working days in English", () => {
    expect(translate("en", "workingDaysLeft", { n: 1 })).toBe("1 working day left");
    expect(translate("en", "workingDaysLeft", { n: 2 })).toBe("2 working days left");
    expect(translate("en", "workingDaysLeft", { n: 0 })).toBe("0 working days left");
    expect(translate("en", "impact.later", { n: 1 })).toBe("later by 1 working day");
    expect(translate("en", "impact.count", { deadlines: 3, cases: 1, timed: 1 })).toBe(
      "3 deadlines of 1 open case change (1 case has deadlines running)",
    );
  });

  it("has no plural forms in Chinese", () => {
    expect(translate("zh-CN", "workingDaysLeft", { n: 1 })).toBe("剩余 1 个工作日");
    expect(translate("zh-CN", "workingDaysLeft", { n: 2 })).toBe("剩余 2 个工作日");
    expect(translate("zh-CN", "impact.later", { n: 1 })).toBe("+1 个工作日");
  });

  it("fills every occurrence of a variable", () => {
    // No catalog string repeats a variable yet; the formatter behind every catalog must not care.
    expect(
      formatPattern("en", "{who} asked; {who} was told {n, plural, one {# day} other {# days}} ({n})", {
        who: "Li",
        n: 1,
      }),
    ).toBe("Li asked; Li was told 1 day (1)");
    expect(translate("en", "upgrade.previewTitle", { from: "1.0.0", to: "1.0.0" })).toBe(
      "Upgrade preview: 1.0.0 → 1.0.0",
    );
    expect(translate("zh-CN", "chain.missingCheckpoint", { n: 7, m: 7 })).toBe(
      "第 7 条之后的记录缺失（检查点在第 7 条）",
    );
  });

  it("prints plain values as given, without digit grouping", () => {
    expect(translate("en", "publishedNotice", { n: 12345 })).toBe("Version 12345 published");
    expect(translate("en", "reported", { n: "2026-0001" })).toBe("Case reported, number 2026-0001");
  });

  it("shows a missing value by its name instead of failing the page", () => {
    expect(formatMessage("en", "upgrade.previewTitle", { from: "1.0.0" })).toBe("Upgrade preview: 1.0.0 → {to}");
    expect(formatMessage("en", "workingDaysLeft")).toBe("{n} left");
    expect(formatMessage("zh-CN", "workingDaysLeft", {})).toBe("剩余 {n} 个工作日");
  });

  it("knows its keys", () => {
    expect(isMessageKey("appName")).toBe(true);
    expect(isMessageKey("toString")).toBe(false);
    expect(isMessageKey("no.such.key")).toBe(false);
  });
});

describe("catalogs", () => {
  const keys = Object.keys(zhCN) as MessageKey[];

  it("have the same keys in every language", () => {
    expect(Object.keys(en).sort()).toEqual([...keys].sort());
    expect(LOCALES[0]).toBe("zh-CN");
  });

  it("parse in every language and name the same values", () => {
    const names = (s: string) => [...new Set([...s.matchAll(/\{(\w+)[,}]/g)].map((m) => m[1]!))].sort();
    for (const key of keys) {
      expect(names(en[key]), key).toEqual(names(zhCN[key]));
      const values = Object.fromEntries(names(zhCN[key]).map((n) => [n, 3]));
      for (const locale of LOCALES)
        expect(formatMessage(locale, key, values), `${locale} ${key}`).not.toMatch(/[{}]|plural/);
    }
  });
});
