// A township admin's edit (effective sections, or a designed form) checked against the township's
// latest source: written as overrides of its template, resolved and validated whole, and diffed
// against the published version. Pure, so that the server can run it off the event loop
// (app/server/config-worker.server.ts); nothing here is written anywhere.
import { designerToForm, validateDesigner, type DesignerModel } from "#engine/form-designer";
import type { Bilingual } from "#engine/i18n";
import { type Issue, issue } from "#engine/issues";
import { atPath, configLimitIssues } from "#engine/limits";
import { changeMessage, diffConfigs } from "./diff";
import { idPathsIn, type JsonObject } from "./id-paths";
import { prepareConfig, resolveConfig, type TemplateLookup } from "./index";
import { applyFormEdit, applySectionEdits, EDITABLE_SECTIONS, type SectionEdits } from "./overrides";
import type { TownshipConfig } from "#schemas/township-config";

export type ConfigEdit =
  | { kind: "sections"; sections: SectionEdits }
  | { kind: "form"; formId: string; model: DesignerModel };

/** Where an issue points: the designer's own model, or the township's resolved config. */
export type EditIssue = Issue & { where: "designer" | "config" };

export type EditCheck =
  | {
      ok: true;
      source: JsonObject;
      config: TownshipConfig;
      changes: Bilingual[];
      /** What does not refuse the edit but would leave the township unable to work. */
      warnings: Issue[];
      baseVersion: number;
    }
  | { ok: false; issues: EditIssue[]; baseVersion: number };

export type EditBase = {
  /** The township's latest source (its overrides) and published document. */
  source: JsonObject;
  document: unknown;
  version: number;
  /** The resolved template the township extends, if any. */
  template: JsonObject | undefined;
  tenantCode: string;
};

/** The caps (engine/limits.ts) on an edit, each section at its place in the config. */
export function editLimitIssues(edit: ConfigEdit): Issue[] {
  if (edit.kind === "form") return configLimitIssues(atPath(["forms", edit.formId], edit.model));
  return Object.entries(edit.sections).flatMap(([id, value]) =>
    configLimitIssues(atPath(EDITABLE_SECTIONS[id as keyof typeof EDITABLE_SECTIONS], value)),
  );
}

export function checkConfigEdit(base: EditBase, lookup: TemplateLookup, edit: ConfigEdit): EditCheck {
  const baseVersion = base.version;
  const fail = (issues: Issue[], where: EditIssue["where"]) => ({
    ok: false as const,
    issues: issues.map((i) => ({ ...i, where })),
    baseVersion,
  });
  const tooLarge = editLimitIssues(edit);
  if (tooLarge.length) return fail(tooLarge, edit.kind === "form" ? "designer" : "config");
  let applied: ReturnType<typeof applySectionEdits>;
  if (edit.kind === "sections") {
    applied = applySectionEdits(base.source, base.template, edit.sections);
  } else {
    let form: JsonObject;
    try {
      const designerIssues = validateDesigner(edit.model);
      if (designerIssues.length) return fail(designerIssues, "designer");
      form = designerToForm(edit.model) as unknown as JsonObject;
    } catch {
      // A model from the browser may be any shape: a malformed one is an issue, not a crash.
      return fail([issue("/fields", "edit.malformed")], "designer");
    }
    applied = applyFormEdit(base.source, base.template, edit.formId, form);
  }
  if (!applied.ok) return fail(applied.issues, "config");
  // Identity comes from the database, never from an edit.
  const source: JsonObject = { ...applied.source, kind: "township", id: base.tenantCode };
  const prepared = prepareConfig(source, lookup);
  if (!prepared.ok) {
    const resolved = resolveConfig(source, lookup);
    const toIdPath = idPathsIn(resolved.ok ? resolved.value : source);
    return fail(
      prepared.issues.map((i) => ({ ...i, path: toIdPath(i.path) })),
      "config",
    );
  }
  const toIdPath = idPathsIn(prepared.config);
  return {
    ok: true,
    source,
    config: prepared.config,
    changes: diffConfigs(base.document, prepared.config).map(changeMessage),
    warnings: (prepared.warnings ?? []).map((w) => ({ ...w, path: toIdPath(w.path) })),
    baseVersion,
  };
}
