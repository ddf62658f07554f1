// Onboarding a township: the county admin's draft is rebuilt and validated here from scratch on
// every preview and on publish (nothing from the browser is trusted: the county comes from the
// session, the template from the database). Publishing creates the township, its config version 1,
// its first users and the audit entries in one transaction, or nothing at all.
import { changing } from "./context-cache.server";
import { localizeForm } from "#engine/forms";
import { prepareConfig, resolveConfig, type TemplateLookup } from "#engine/config/index";
import { changeMessage } from "#engine/config/diff";
import { idPathsIn } from "#engine/config/id-paths";
import { pickText, type Bilingual, type Locale } from "#engine/i18n";
import type { Issue } from "#engine/issues";
import {
  buildTownshipSource,
  changesFromTemplate,
  configCounts,
  knownUnits,
  peopleFor,
  templateFacts,
  type OnboardingDraft,
  type Person,
} from "#engine/onboarding";
import type { KnownUnit } from "#engine/org-import";
import type { TownshipConfig } from "#schemas/township-config";
import { createTownship } from "./config-publish.server";
import { appendAudit } from "./audit.server";
import type { CountyContext } from "./county.server";
import type { Db } from "./db.server";
import { generatePassword, hashPassword } from "./password.server";
import { prepareConfigOffThread } from "./config-worker.server";
import { templateLookupFromDb } from "./tenant-files.server";

/** An issue and whether its path points into the draft or into the resulting config. */
type OnboardingIssue = Issue & { where: "draft" | "config" };

export type TemplateChoice = {
  ref: string;
  name: { zh: string; en?: string };
  publishedAt: Date;
  facts: ReturnType<typeof templateFacts>;
};

/** Published template versions a township can be onboarded from, newest first. */
export async function listTemplateChoices(db: Db): Promise<TemplateChoice[]> {
  const rows = await db.templateVersion.findMany({
    select: { templateId: true, version: true, publishedAt: true },
    orderBy: [{ templateId: "asc" }, { publishedAt: "desc" }],
  });
  const lookup = await templateLookupFromDb(db);
  const out: TemplateChoice[] = [];
  for (const row of rows) {
    const ref = `${row.templateId}@${row.version}`;
    const prepared = prepareConfig(lookup(ref), lookup);
    if (!prepared.ok) continue;
    out.push({ ref, name: prepared.config.name, publishedAt: row.publishedAt, facts: templateFacts(prepared.config) });
  }
  return out;
}

function resolvedTemplate(lookup: TemplateLookup, ref: unknown): TownshipConfig | undefined {
  if (typeof ref !== "string") return undefined;
  const doc = lookup(ref);
  if (doc === undefined) return undefined;
  const prepared = prepareConfig(doc, lookup);
  return prepared.ok ? prepared.config : undefined;
}

type Prepared =
  | {
      ok: true;
      draft: OnboardingDraft;
      template: TownshipConfig;
      source: Record<string, unknown>;
      config: TownshipConfig;
      people: Person[];
    }
  | { ok: false; issues: OnboardingIssue[] };

const draftIssues = (issues: Issue[]): OnboardingIssue[] => issues.map((i) => ({ ...i, where: "draft" as const }));

/** Everything publish needs, checked: draft shape and rows, database uniqueness, the resolved config, the people. */
async function prepareOnboarding(db: Db, draftInput: unknown): Promise<Prepared> {
  const lookup = await templateLookupFromDb(db);
  const template = resolvedTemplate(lookup, (draftInput as { template?: unknown } | null)?.template);
  const built = buildTownshipSource(draftInput, template);
  if (!built.ok) return { ok: false, issues: draftIssues(built.issues) };
  const draft = draftInput as OnboardingDraft;

  const issues: OnboardingIssue[] = [];
  if (await db.tenant.findUnique({ where: { code: draft.township.code }, select: { id: true } })) {
    issues.push({
      where: "draft",
      path: "/township/code",
      code: "onboarding.code-taken",
      message: { zh: `编号“${draft.township.code}”已被使用`, en: `Code "${draft.township.code}" is already used` },
    });
  }
  const prepared = await prepareConfigOffThread(built.source, lookup);
  if (!prepared.ok) {
    const resolved = resolveConfig(built.source, lookup);
    const doc = resolved.ok ? resolved.value : built.source;
    const toIdPath = idPathsIn(doc);
    issues.push(...prepared.issues.map((i) => ({ ...i, path: toIdPath(i.path), where: "config" as const })));
    return { ok: false, issues };
  }
  const people = peopleFor(draft, prepared.config);
  if (!people.ok) return { ok: false, issues: [...issues, ...draftIssues(people.issues)] };
  const taken = await db.user.findMany({
    where: { login: { in: people.people.map((p) => p.login) } },
    select: { login: true },
  });
  for (const t of taken) {
    const person = people.people.find((p) => p.login === t.login)!;
    issues.push({
      where: "draft",
      path: `${person.path}/login`,
      code: "onboarding.login-taken",
      message: { zh: `账号“${t.login}”已存在`, en: `Login "${t.login}" already exists` },
    });
  }
  if (issues.length) return { ok: false, issues };
  return { ok: true, draft, template: template!, source: built.source, config: prepared.config, people: people.people };
}

export type OnboardingPreview =
  | {
      ok: true;
      counts: Record<string, number>;
      templateCounts: Record<string, number>;
      changes: Bilingual[];
      form: {
        categoryName: string;
        name: string;
        schema: Record<string, unknown>;
        uiSchema: Record<string, unknown>;
      } | null;
      people: Array<{ login: string; name: string; posts: string[]; unit: string }>;
    }
  | { ok: false; issues: OnboardingIssue[] };

/** The resolved config as the county admin sees it before publishing; nothing is written. */
export async function previewOnboarding(db: Db, draftInput: unknown, locale: Locale): Promise<OnboardingPreview> {
  const prepared = await prepareOnboarding(db, draftInput);
  if (!prepared.ok) return prepared;
  const { config, template } = prepared;
  const first = config.categories?.[0];
  const form = first ? config.forms?.[first.intakeForm] : undefined;
  return {
    ok: true,
    counts: configCounts(config),
    templateCounts: configCounts(template),
    changes: changesFromTemplate(template, config).map(changeMessage),
    form:
      first && form
        ? {
            categoryName: pickText(first.name, locale),
            name: pickText(form.name, locale),
            ...localizeForm(form, locale),
          }
        : null,
    people: prepared.people.map((p) => ({ login: p.login, name: p.name, posts: p.posts, unit: p.unit })),
  };
}

type Credential = { login: string; name: string; posts: string[]; unit: string; password: string };
export type OnboardingResult =
  | { ok: true; tenant: { code: string; name: string }; version: number; credentials: Credential[] }
  | { ok: false; issues: OnboardingIssue[] };

/**
 * Creates the township (under the county of the context), config version 1, its first users
 * with one-time passwords and the audit entries, in one transaction. The passwords are returned
 * once and stored only as hashes.
 */
export async function onboardTownship(
  db: Db,
  ctx: Pick<CountyContext, "county" | "user">,
  draftInput: unknown,
  now: Date,
): Promise<OnboardingResult> {
  const prepared = await prepareOnboarding(db, draftInput);
  if (!prepared.ok) return prepared;
  const { draft, config, source, people } = prepared;
  const credentials = people.map((p) => ({
    login: p.login,
    name: p.name,
    posts: p.posts,
    unit: p.unit,
    password: generatePassword(),
  }));
  const hashes = await Promise.all(credentials.map((c) => hashPassword(c.password)));
  try {
    await changing(
      db.$transaction(async (tx) => {
        const tenant = await createTownship(tx, config, source, ctx.county.id, ctx.user.login);
        for (const [i, c] of credentials.entries()) {
          const user = await tx.user.create({
            data: { login: c.login, displayName: c.name, passwordHash: hashes[i]!, mustChangePassword: true },
          });
          await tx.membership.create({
            data: { tenantId: tenant.id, userId: user.id, posts: c.posts, unitId: c.unit },
          });
        }
        const logins = credentials.map((c) => c.login);
        await appendAudit(tx, {
          tenantId: tenant.id,
          actorId: ctx.user.id,
          type: "township.onboarded",
          data: { county: ctx.county.code, template: draft.template, users: logins },
          at: now,
        });
        await appendAudit(tx, {
          tenantId: tenant.id,
          actorId: ctx.user.id,
          type: "config.published",
          data: { version: 1, extendsRef: config.extends ?? null, publishedBy: ctx.user.login },
          at: now,
        });
        await appendAudit(tx, {
          tenantId: ctx.county.id,
          actorId: ctx.user.id,
          type: "county.township-onboarded",
          data: { township: config.id, template: draft.template, users: logins },
          at: now,
        });
      }),
    );
  } catch (error) {
    // Someone took the code or a login between the checks and the insert: nothing was created.
    if ((error as { code?: string }).code === "P2002") {
      return {
        ok: false,
        issues: [
          {
            where: "draft",
            path: "/township/code",
            code: "onboarding.taken",
            message: {
              zh: "乡镇编号或账号刚被占用，请检查后重试",
              en: "The township code or a login was just taken; check and try again",
            },
          },
        ],
      };
    }
    throw error;
  }
  return { ok: true, tenant: { code: config.id, name: config.name.zh }, version: 1, credentials };
}

/** The units an imported villages/grids file may refer to, for the chosen template and platforms. */
export async function importContext(
  db: Db,
  templateRef: string,
  platforms: OnboardingDraft["platforms"],
): Promise<{ known: KnownUnit[]; defaultParent?: string } | null> {
  const lookup = await templateLookupFromDb(db);
  const template = resolvedTemplate(lookup, templateRef);
  if (!template) return null;
  const commandRoom = templateFacts(template).commandRoom;
  return {
    known: knownUnits(template.org?.units ?? [], platforms),
    ...(commandRoom ? { defaultParent: commandRoom } : {}),
  };
}
