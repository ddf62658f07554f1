// Template versions and who runs them: semver order, refs (`id@1.2.0`) and the registry a
// standards body sees (each version, its townships, direct or through a template built on it).
import type { Text } from "#engine/i18n";
import { type Issue, issue } from "#engine/issues";
import { isJsonObject } from "./id-paths";

export type TemplateRef = { templateId: string; version: string };

const VERSION = /^(\d+)\.(\d+)\.(\d+)$/;

export function parseTemplateRef(ref: string): TemplateRef | undefined {
  const at = ref.lastIndexOf("@");
  if (at <= 0 || !VERSION.test(ref.slice(at + 1))) return undefined;
  return { templateId: ref.slice(0, at), version: ref.slice(at + 1) };
}

const formatTemplateRef = (r: TemplateRef) => `${r.templateId}@${r.version}`;

/** Semver order of `major.minor.patch` (numeric, so 1.10.0 comes after 1.9.0). */
export function compareVersions(a: string, b: string): number {
  const pa = VERSION.exec(a);
  const pb = VERSION.exec(b);
  if (!pa || !pb) return a.localeCompare(b);
  for (let i = 1; i <= 3; i++) {
    const d = Number(pa[i]) - Number(pb[i]);
    if (d) return d;
  }
  return 0;
}

/** The next minor version, the usual step for a template revision: 1.2.3 → 1.3.0. */
export function nextMinorVersion(version: string): string {
  const m = VERSION.exec(version);
  return m ? `${m[1]}.${Number(m[2]) + 1}.0` : version;
}

export type PublishedVersion = {
  templateId: string;
  version: string;
  /** The template version it builds on, if any. */
  extendsRef: string | null;
  publishedAt: Date;
  publishedBy: string;
  notes: Text | null;
};

export type TownshipOnTemplate = {
  code: string;
  name: string;
  nameEn: string | null;
  county: string | null;
  configVersion: number;
  extendsRef: string | null;
};

type RegistryVersion = PublishedVersion & {
  ref: string;
  latest: boolean;
  /** Townships whose published config extends this version. */
  direct: TownshipOnTemplate[];
  /** Townships on a template version that builds on this one. */
  indirect: Array<TownshipOnTemplate & { via: string }>;
};

export type RegistryTemplate = { templateId: string; versions: RegistryVersion[]; townships: number; behind: number };

/**
 * Groups versions by template (newest version first) with the townships on each. A township counts
 * as behind when its template has a newer version than the one it runs.
 */
export function buildRegistry(
  versions: PublishedVersion[],
  townships: TownshipOnTemplate[],
  allVersions: PublishedVersion[] = versions,
): RegistryTemplate[] {
  const parentOf = new Map(allVersions.map((v) => [formatTemplateRef(v), v.extendsRef]));
  const byRef = new Map<string, TownshipOnTemplate[]>();
  for (const t of townships) if (t.extendsRef) byRef.set(t.extendsRef, [...(byRef.get(t.extendsRef) ?? []), t]);

  const templates = new Map<string, PublishedVersion[]>();
  for (const v of versions) templates.set(v.templateId, [...(templates.get(v.templateId) ?? []), v]);

  return [...templates.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([templateId, list]) => {
      const sorted = [...list].sort((a, b) => compareVersions(b.version, a.version));
      const rows: RegistryVersion[] = sorted.map((v, i) => {
        const ref = formatTemplateRef(v);
        const indirect: RegistryVersion["indirect"] = [];
        for (const [childRef, users] of byRef) {
          if (childRef === ref) continue;
          // Walk up the child's chain: does it build on this version?
          const seen = new Set<string>();
          for (let parent = parentOf.get(childRef); parent && !seen.has(parent); parent = parentOf.get(parent)) {
            seen.add(parent);
            if (parent === ref) {
              indirect.push(...users.map((u) => ({ ...u, via: childRef })));
              break;
            }
          }
        }
        return { ...v, ref, latest: i === 0, direct: byRef.get(ref) ?? [], indirect };
      });
      const townshipsOn = rows.reduce((n, r) => n + r.direct.length, 0);
      const behind = rows.slice(1).reduce((n, r) => n + r.direct.length, 0);
      return { templateId, versions: rows, townships: townshipsOn, behind };
    });
}

/**
 * What a standards body must get right before a version can be published, besides the config
 * validation itself: a template, a version above every published one of the same template, and
 * release notes for every version after the first.
 */
export function releaseIssues(document: unknown, published: readonly string[], notes: { zh: string }): Issue[] {
  if (!isJsonObject(document) || document.kind !== "template") {
    return [issue("/kind", "release.not-a-template")];
  }
  const out: Issue[] = [];
  const version = typeof document.version === "string" ? document.version : "";
  const newest = [...published].sort(compareVersions).at(-1);
  if (newest && VERSION.test(version) && compareVersions(version, newest) <= 0 && !published.includes(version)) {
    out.push(issue("/version", "release.version-not-newer", { newest }));
  }
  if (newest && !notes.zh.trim()) {
    out.push(issue("/releaseNotes/zh", "release.notes-required"));
  }
  return out;
}
