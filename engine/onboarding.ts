// Onboarding a township from a published template: the county admin's draft (the township's own
// facts, its villages and grids, its first people) becomes the township's source config, which is
// then resolved and validated exactly as every config is. Pure; the server adds what needs the
// database (is the code or a login taken?) and creates everything in one transaction.
import type { FromSchema } from "json-schema-to-ts";
import { sharedAjv, toIssues } from "./ajv";
import { diffConfigs, type ConfigChange } from "./config/diff";
import type { JsonObject } from "./config/id-paths";
import { checkOrgRows, type KnownUnit, type OrgRow, type RowIssue } from "./org-import";
import { pointer, type Issue, issue } from "./issues";
import { unitRole } from "./org";
import {
  PLATFORM_KIND,
  TOWNSHIP_CONFIG_SCHEMA_ID,
  type OrgUnitRole,
  type TownshipConfig,
} from "#schemas/township-config";

const id = { type: "string", pattern: "^[a-z0-9][a-z0-9-]*$", minLength: 1, maxLength: 64 } as const;
const name = {
  type: "object",
  required: ["zh"],
  additionalProperties: false,
  properties: { zh: { type: "string", minLength: 1, maxLength: 100 }, en: { type: "string", maxLength: 200 } },
} as const;
const login = { type: "string", pattern: "^[a-z0-9][a-z0-9._-]{2,63}$" } as const;
const cell = { type: "string", maxLength: 200 } as const;

/** What the browser sends: the whole draft, every time; the server trusts none of it blindly. */
const onboardingDraftSchema = {
  type: "object",
  required: ["template", "township", "platforms", "units", "admin", "staff"],
  additionalProperties: false,
  properties: {
    template: { type: "string", pattern: "^[a-z0-9][a-z0-9-]*@\\d+\\.\\d+\\.\\d+$" },
    township: {
      type: "object",
      required: ["code", "name"],
      additionalProperties: false,
      properties: { code: id, name },
    },
    platforms: {
      type: "object",
      required: ["keep", "add"],
      additionalProperties: false,
      properties: {
        keep: { type: "array", maxItems: 200, items: id, uniqueItems: true },
        add: {
          type: "array",
          maxItems: 50,
          items: { type: "object", required: ["id", "name"], additionalProperties: false, properties: { id, name } },
        },
      },
    },
    units: {
      type: "array",
      maxItems: 5000,
      items: {
        type: "object",
        required: ["kind", "id", "name", "name_en", "parent", "gridType"],
        additionalProperties: false,
        properties: { kind: cell, id: cell, name: cell, name_en: cell, parent: cell, gridType: cell },
      },
    },
    admin: {
      type: "object",
      required: ["login", "name"],
      additionalProperties: false,
      properties: { login, name: { type: "string", minLength: 1, maxLength: 100 } },
    },
    staff: {
      type: "array",
      maxItems: 200,
      items: {
        type: "object",
        required: ["login", "name", "post", "unit"],
        additionalProperties: false,
        properties: { login, name: { type: "string", minLength: 1, maxLength: 100 }, post: id, unit: id },
      },
    },
  },
} as const;

export type OnboardingDraft = FromSchema<typeof onboardingDraftSchema>;

// Compiled on first use: the browser imports this module for its helpers and never needs it.
let draftValidator: ReturnType<ReturnType<typeof sharedAjv>["compile"]> | undefined;
const validateDraftShape = (value: unknown) => (draftValidator ??= sharedAjv().compile(onboardingDraftSchema))(value);

export function emptyDraft(template = ""): OnboardingDraft {
  return {
    template,
    township: { code: "", name: { zh: "" } },
    platforms: { keep: [], add: [] },
    units: [],
    admin: { login: "", name: "" },
    staff: [],
  };
}

/** The template's facts the onboarding screens offer: platforms to keep, the command room. */
export function templateFacts(template: TownshipConfig) {
  const units = template.org?.units ?? [];
  return {
    commandRoom: units.find((u) => unitRole(u.kind) === "command-room")?.id,
    platforms: units.filter((u) => u.kind === PLATFORM_KIND).map((u) => ({ id: u.id, name: u.name })),
    units: units.map((u) => ({ id: u.id, kind: u.kind, name: u.name })),
    posts: (template.posts ?? []).map((p) => ({
      id: p.id,
      name: p.name,
      ...(p.unit ? { unit: p.unit } : {}),
      ...(p.unitKinds ? { unitKinds: [...p.unitKinds] } : {}),
    })),
    adminPost: adminPostOf(template),
  };
}

/** The units a post can be held in: its own fixed unit, else the units of its kinds, else any. */
export function unitsForPost<U extends { id: string; kind: string }>(
  post: { unit?: string; unitKinds?: readonly string[] } | undefined,
  units: readonly U[],
): U[] {
  if (post?.unit) return units.filter((u) => u.id === post.unit);
  if (post?.unitKinds?.length) return units.filter((u) => post.unitKinds!.includes(u.kind));
  return [...units];
}

/** The post that manages the township's config (the template grants it), for the first admin. */
export function adminPostOf(config: TownshipConfig): string | undefined {
  const rule = (config.permissions ?? []).find(
    (r) => r.action === "manage" && r.subject === "Config" && !r.inverted && r.posts.some((p) => p !== "*"),
  );
  return rule?.posts.find((p) => p !== "*");
}

/** Row issues of the village/grid table as issues under /units (row n is /units/n-1). */
function rowIssuesToIssues(issues: readonly RowIssue[], base = "/units"): Issue[] {
  return issues.map((i) => ({
    path: `${base}/${i.row - 1}${i.column ? `/${i.column}` : ""}`,
    code: i.code,
    message: i.message,
  }));
}

/**
 * The units the village/grid table may refer to: the template's (`units`, as in its org), minus
 * the platforms the township drops, plus the ones it adds.
 */
export function knownUnits(units: readonly KnownUnit[], platforms: OnboardingDraft["platforms"]): KnownUnit[] {
  const dropped = droppedPlatforms(units, platforms);
  return [
    ...units.filter((u) => !dropped.includes(u.id)).map((u) => ({ id: u.id, kind: u.kind })),
    ...platforms.add.map((p) => ({ id: p.id, kind: PLATFORM_KIND })),
  ];
}

function droppedPlatforms(units: readonly KnownUnit[], platforms: OnboardingDraft["platforms"]): string[] {
  return units.filter((u) => u.kind === PLATFORM_KIND && !platforms.keep.includes(u.id)).map((u) => u.id);
}

export type BuiltSource = { ok: true; source: JsonObject } | { ok: false; issues: Issue[] };

/**
 * The township's source config from the draft: identity, the template it extends, platforms it
 * drops or adds, its villages and grids. Checks the draft's own shape and rows; the resolved
 * config is validated by the caller (prepareConfig).
 */
export function buildTownshipSource(draftInput: unknown, template: TownshipConfig | undefined): BuiltSource {
  if (!validateDraftShape(draftInput)) return { ok: false, issues: toIssues(draftValidator?.errors) };
  const draft = draftInput as OnboardingDraft;
  if (!template)
    return {
      ok: false,
      issues: [issue("/template", "onboarding.template-missing", { template: draft.template })],
    };
  const issues: Issue[] = [];
  const facts = templateFacts(template);

  draft.platforms.keep.forEach((p, i) => {
    if (!facts.platforms.some((t) => t.id === p))
      issues.push(issue(pointer("platforms", "keep", i), "onboarding.platform-unknown", { id: p }));
  });
  const templateIds = new Set((template.org?.units ?? []).map((u) => u.id));
  const added = new Set<string>();
  draft.platforms.add.forEach((p, i) => {
    if (templateIds.has(p.id) || added.has(p.id))
      issues.push(issue(pointer("platforms", "add", i, "id"), "onboarding.platform-taken", { id: p.id }));
    added.add(p.id);
  });
  const rows = draft.units.map((values, i) => ({ row: i + 1, values: values as OrgRow }));
  const templateUnits = template.org?.units ?? [];
  const org = checkOrgRows(rows, knownUnits(templateUnits, draft.platforms), facts.commandRoom);
  issues.push(...rowIssuesToIssues(org.issues));
  if (issues.length) return { ok: false, issues };

  const units: JsonObject[] = [
    ...droppedPlatforms(templateUnits, draft.platforms).map((id) => ({ id, $remove: true })),
    ...draft.platforms.add.map((p) => ({
      id: p.id,
      kind: PLATFORM_KIND,
      ...(facts.commandRoom ? { parent: facts.commandRoom } : {}),
      name: textOf(p.name),
    })),
    ...org.units.map((u) => ({ ...u }) as JsonObject),
  ];
  const source: JsonObject = {
    $schema: TOWNSHIP_CONFIG_SCHEMA_ID,
    kind: "township",
    id: draft.township.code,
    version: "1.0.0",
    extends: draft.template,
    name: textOf(draft.township.name),
    ...(units.length ? { org: { units } } : {}),
  };
  return { ok: true, source };
}

function textOf(text: { zh: string; en?: string }): JsonObject {
  return { zh: text.zh.trim(), ...(text.en?.trim() ? { en: text.en.trim() } : {}) };
}

export type Person = { login: string; name: string; posts: string[]; unit: string; path: string };

/**
 * The township's first people, checked against its resolved config: each post exists, each unit
 * exists and suits the post (a grid worker sits in a grid), logins are not repeated. The first
 * person is the township admin, in the post the template lets manage the config.
 */
export function peopleFor(
  draft: OnboardingDraft,
  config: TownshipConfig,
): { ok: true; people: Person[] } | { ok: false; issues: Issue[] } {
  const issues: Issue[] = [];
  const units = new Map((config.org?.units ?? []).map((u) => [u.id, u]));
  const posts = new Map((config.posts ?? []).map((p) => [p.id, p]));
  const adminPost = adminPostOf(config);
  const people: Person[] = [];
  if (!adminPost || !posts.has(adminPost)) {
    issues.push(issue("/admin", "onboarding.no-admin-post"));
  } else {
    const unit =
      posts.get(adminPost)!.unit ?? (config.org?.units ?? []).find((u) => unitRole(u.kind) === "command-room")?.id;
    if (!unit) issues.push(issue("/admin", "onboarding.no-admin-unit"));
    else people.push({ login: draft.admin.login, name: draft.admin.name, posts: [adminPost], unit, path: "/admin" });
  }
  draft.staff.forEach((s, i) => {
    const at = (k: string) => pointer("staff", i, k);
    const post = posts.get(s.post);
    const unit = units.get(s.unit);
    if (!post) issues.push(issue(at("post"), "reference.missing", { what: "post", ref: s.post }));
    if (!unit) issues.push(issue(at("unit"), "reference.missing", { what: "unit", ref: s.unit }));
    if (post?.unit && unit && unit.id !== post.unit) {
      const own = units.get(post.unit);
      issues.push(
        issue(at("unit"), "onboarding.unit-fixed", { post: post.name, fixed: own?.name ?? post.unit, unit: unit.name }),
      );
    } else if (post && unit && post.unitKinds?.length && !post.unitKinds.includes(unit.kind)) {
      issues.push(
        issue(at("unit"), "onboarding.unit-kind", { post: post.name, kinds: post.unitKinds, unit: unit.name }),
      );
    }
    people.push({ login: s.login, name: s.name, posts: [s.post], unit: s.unit, path: pointer("staff", i) });
  });
  const seen = new Map<string, string>();
  for (const p of people) {
    if (seen.has(p.login)) issues.push(issue(`${p.path}/login`, "onboarding.login-duplicate", { login: p.login }));
    seen.set(p.login, p.path);
  }
  return issues.length ? { ok: false, issues } : { ok: true, people };
}

/** How much the resolved config holds, per section, for the preview. */
export function configCounts(config: TownshipConfig): Record<string, number> {
  const units = config.org?.units ?? [];
  const byRole = (role: OrgUnitRole) => units.filter((u) => unitRole(u.kind) === role).length;
  return {
    platforms: byRole("platform"),
    villages: byRole("village"),
    grids: byRole("grid"),
    units: units.length,
    posts: config.posts?.length ?? 0,
    grades: config.grades?.length ?? 0,
    categories: config.categories?.length ?? 0,
    forms: Object.keys(config.forms ?? {}).length,
    workflows: Object.keys(config.workflows ?? {}).length,
    deadlinePolicies: Object.keys(config.deadlinePolicies ?? {}).length,
    permissions: config.permissions?.length ?? 0,
  };
}

/** What the township changes against its template (identity fields aside, which always differ). */
export function changesFromTemplate(template: unknown, config: unknown): ConfigChange[] {
  const identity = new Set(["/kind", "/id", "/version", "/name", "/description", "/extends", "/locale"]);
  return diffConfigs(template, config).filter(
    (c) => ![...identity].some((p) => c.path === p || c.path.startsWith(p + "/")),
  );
}
