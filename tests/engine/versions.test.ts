import { describe, expect, it } from "vitest";
import {
  buildRegistry,
  compareVersions,
  nextMinorVersion,
  parseTemplateRef,
  releaseIssues,
  type PublishedVersion,
  type TownshipOnTemplate,
} from "#engine/config/versions";
import { issueMessage } from "#app/locales/issues/index";

const at = new Date("2026-11-01T00:00:00Z");
const v = (templateId: string, version: string, extendsRef: string | null = null): PublishedVersion => ({
  templateId,
  version,
  extendsRef,
  publishedAt: at,
  publishedBy: "std",
  notes: null,
});
const town = (code: string, extendsRef: string | null): TownshipOnTemplate => ({
  code,
  name: code,
  nameEn: null,
  county: "demo",
  configVersion: 1,
  extendsRef,
});

describe("template versions", () => {
  it("orders versions numerically, not as text", () => {
    const sorted = ["1.10.0", "1.2.0", "1.9.3", "2.0.0", "1.9.10"].sort(compareVersions);
    expect(sorted).toEqual(["1.2.0", "1.9.3", "1.9.10", "1.10.0", "2.0.0"]);
    expect(compareVersions("1.0.0", "1.0.0")).toBe(0);
  });

  it("reads and bumps refs", () => {
    expect(parseTemplateRef("command-room-guideline@1.2.3")).toEqual({
      templateId: "command-room-guideline",
      version: "1.2.3",
    });
    expect(parseTemplateRef("no-version")).toBeUndefined();
    expect(parseTemplateRef("x@1.2")).toBeUndefined();
    expect(nextMinorVersion("1.9.4")).toBe("1.10.0");
  });
});

describe("registry", () => {
  it("lists each template's versions newest first with the townships on each, and counts those behind", () => {
    const registry = buildRegistry(
      [v("guide", "1.0.0"), v("guide", "1.10.0"), v("guide", "1.2.0"), v("other", "1.0.0")],
      [town("a", "guide@1.0.0"), town("b", "guide@1.10.0"), town("c", "guide@1.0.0"), town("d", null)],
    );
    expect(registry.map((r) => r.templateId)).toEqual(["guide", "other"]);
    const guide = registry[0]!;
    expect(guide.versions.map((x) => [x.version, x.latest, x.direct.map((t) => t.code)])).toEqual([
      ["1.10.0", true, ["b"]],
      ["1.2.0", false, []],
      ["1.0.0", false, ["a", "c"]],
    ]);
    expect([guide.townships, guide.behind]).toEqual([3, 2]);
    expect(registry[1]!.versions[0]!.direct).toEqual([]);
  });

  it("counts a township on a template built on a version as using that version indirectly", () => {
    const all = [v("base", "1.0.0"), v("regional", "2.0.0", "base@1.0.0"), v("local", "1.0.0", "regional@2.0.0")];
    const registry = buildRegistry(
      all.filter((x) => x.templateId === "base"),
      [town("z", "local@1.0.0"), town("y", "regional@2.0.0")],
      all,
    );
    const base = registry[0]!.versions[0]!;
    expect(base.direct).toEqual([]);
    expect(base.indirect.map((t) => [t.code, t.via]).sort()).toEqual([
      ["y", "regional@2.0.0"],
      ["z", "local@1.0.0"],
    ]);
  });

  it("survives a cycle in the extends chain", () => {
    const all = [v("a", "1.0.0", "b@1.0.0"), v("b", "1.0.0", "a@1.0.0")];
    const registry = buildRegistry(all, [town("t", "a@1.0.0")], all);
    expect(registry.find((r) => r.templateId === "b")!.versions[0]!.indirect.map((t) => t.code)).toEqual(["t"]);
  });
});

describe("release rules", () => {
  const doc = (version: string) => ({ kind: "template", id: "guide", version, name: { zh: "指南" } });

  it("needs a template", () => {
    expect(releaseIssues({ kind: "township", id: "x" }, [], { zh: "" }).map((i) => i.code)).toEqual([
      "release.not-a-template",
    ]);
  });

  it("lets the first version go without notes", () => {
    expect(releaseIssues(doc("1.0.0"), [], { zh: "" })).toEqual([]);
  });

  it("refuses a version not above the newest, and a later version without notes, in both languages", () => {
    const issues = releaseIssues(doc("1.9.0"), ["1.0.0", "1.10.0"], { zh: "  " });
    expect(issues.map((i) => [i.path, i.code])).toEqual([
      ["/version", "release.version-not-newer"],
      ["/releaseNotes/zh", "release.notes-required"],
    ]);
    expect(issueMessage(issues[0]!).zh).toContain("1.10.0");
    expect(issueMessage(issues[0]!).en).toContain("1.10.0");
    expect(releaseIssues(doc("1.11.0"), ["1.0.0", "1.10.0"], { zh: "新增类别" })).toEqual([]);
  });

  it("leaves an already published version to the publisher (same content is a no-op, different is refused there)", () => {
    expect(releaseIssues(doc("1.0.0"), ["1.0.0"], { zh: "x" })).toEqual([]);
  });
});
