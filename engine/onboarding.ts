// Onboarding a township from a published template: the county admin's draft (the township's own
// facts, its villages and grids, its first people) becomes the township's source config, which is
// then resolved and validated exactly as every config is. Pure; the server adds what needs the
// database (is the code or a login taken?) and creates everything in one transaction.
import type { FromSchema } from "json-schema-to-ts";
import { sharedAjv, toIssues } from "./ajv";
import { diffConfigs, type ConfigChange } from "./config/diff";
import type { JsonObject } from "./config/id-paths";
import { checkOrgRows, type KnownUnit, type OrgRow, type RowIssue } from "./org-import";
import { pointer, type Issue, issue, textIssue } from "./issues";
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
        /** Per dropped platform: the platform that takes over its categories, or "" to drop them too. */
        remap: {
          type: "object",
          maxProperties: 200,
          propertyNames: { maxLength: 64 },
          additionalProperties: { type: "string", maxLength: 64 },
        },
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
      // `post`: the admin's post, when the county picks one other than the template's (or it has none).
      properties: { login, name: { type: "string", minLength: 1, maxLength: 100 }, post: id },
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
    platforms: units
      .filter((u) => u.kind === PLATFORM_KIND)
      .map((u) => ({
        id: u.id,
        name: u.name,
        // What dropping it would leave without a platform: the county re-maps or drops these.
        categories: (template.categories ?? [])
          .filter((c) => c.platform === u.id)
          .map((c) => ({ id: c.id, name: c.name })),
      })),
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
  const templateUnits = template.org?.units ?? [];
  const dropped = droppedPlatforms(templateUnits, draft.platforms);
  const categories = categoryMoves(template, draft, dropped, issues);
  const admin = adminGrants(template, draft, issues);
  const rows = draft.units.map((values, i) => ({ row: i + 1, values: values as OrgRow }));
  const org = checkOrgRows(rows, knownUnits(templateUnits, draft.platforms), facts.commandRoom);
  issues.push(...rowIssuesToIssues(org.issues));
  if (issues.length) return { ok: false, issues };

  const units: JsonObject[] = [
    ...dropped.map((id) => ({ id, $remove: true })),
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
    ...(categories.length ? { categories } : {}),
    ...(admin.length ? { permissions: { $append: admin } } : {}),
  };
  return { ok: true, source };
}

/**
 * The categories of dropped platforms, as the county chose: moved to a platform the township keeps
 * or adds (with their lead unit, where it was that platform), or dropped with it.
 */
function categoryMoves(template: TownshipConfig, draft: OnboardingDraft, dropped: string[], issues: Issue[]) {
  const remap = draft.platforms.remap ?? {};
  const units = template.org?.units ?? [];
  const kept = new Set([...draft.platforms.keep, ...draft.platforms.add.map((p) => p.id)]);
  const moves: JsonObject[] = [];
  for (const platform of dropped) {
    const own = (template.categories ?? []).filter((c) => c.platform === platform);
    if (!own.length) continue;
    const name = units.find((u) => u.id === platform)?.name ?? { zh: platform };
    const to = remap[platform];
    const at = pointer("platforms", "remap", platform);
    if (to === undefined)
      issues.push(
        textIssue(
          at,
          "onboarding.platform-categories",
          `平台“${name.zh}”办理 ${own.length} 个事件类别（${own.map((c) => c.name.zh).join("、")}）：请选择改由哪个平台办理，或一并删除这些类别`,
          `The ${name.en ?? name.zh} handles ${own.length === 1 ? "1 category" : `${own.length} categories`} (${own.map((c) => c.name.en ?? c.name.zh).join(", ")}): choose the platform that takes ${own.length === 1 ? "it" : "them"} over, or drop ${own.length === 1 ? "it" : "them"} too`,
        ),
      );
    else if (to === "") for (const c of own) moves.push({ id: c.id, $remove: true });
    else if (!kept.has(to)) issues.push(issue(at, "onboarding.remap-unknown", { ref: to }));
    else
      for (const c of own)
        moves.push({
          id: c.id,
          platform: to,
          ...(c.routing?.leadUnit === platform ? { routing: { leadUnit: to } } : {}),
        });
  }
  const removed = moves.filter((m) => m.$remove).length;
  if (removed && removed === (template.categories ?? []).length)
    issues.push(issue("/platforms/remap", "onboarding.no-categories"));
  return moves;
}

/** The admin post: the county's pick or the template's; granted config and people management if it lacks them. */
function chosenAdminPost(template: TownshipConfig, draft: Pick<OnboardingDraft, "admin">): string | undefined {
  return draft.admin.post || adminPostOf(template);
}

const ADMIN_SUBJECTS = ["Config", "Membership"] as const;

function adminGrants(template: TownshipConfig, draft: OnboardingDraft, issues: Issue[]): JsonObject[] {
  const post = chosenAdminPost(template, draft);
  if (!post) {
    issues.push(issue("/admin/post", "onboarding.no-admin-post"));
    return [];
  }
  if (!(template.posts ?? []).some((p) => p.id === post)) {
    issues.push(issue("/admin/post", "reference.missing", { what: "post", ref: post }));
    return [];
  }
  const grants = (template.permissions ?? []).filter(
    (r) => r.action === "manage" && !r.inverted && (r.posts.includes(post) || r.posts.includes("*")),
  );
  return ADMIN_SUBJECTS.filter((subject) => !grants.some((r) => r.subject === subject)).map((subject) => ({
    posts: [post],
    action: "manage",
    subject,
  }));
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
  const adminPost = chosenAdminPost(config, draft);
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
