// Seeds the demo county from tenants/demo-seed.json: every township's config is resolved against
// its template and validated exactly as a published config would be; every template file in
// tenants/templates/ is published into TemplateVersion when the database does not have it. Idempotent.
import path from "node:path";
import { prepareConfig } from "#engine/config/index";
import type { Issue } from "#engine/issues";
import type { DutyRotaData } from "#engine/rota";
import type { TownshipConfig } from "#schemas/township-config";
import { appClock } from "./clock.server";
import { createTownship, publishTemplateFiles } from "./config-publish.server";
import type { Db } from "./db.server";
import { env } from "./env.server";
import { hashPassword } from "./password.server";
import { readJson, templateLookupFromDir } from "./tenant-files.server";
import { issueMessage } from "#app/locales/issues/index";

type Member = { login: string; name: string; posts: string[]; unit: string };

type DemoSeed = {
  county: { code: string; name: { zh: string; en?: string } };
  townships: string[];
  /** The county centre's own config (posts, departments, calendar, workflows; ADR 039). */
  countyConfig?: string;
  password: string;
  /** Members of the county centre itself (county posts such as county-admin are not in any township config). */
  countyUsers?: Member[];
  /** The standards body that publishes the template files (docs/decisions/018-standards-bodies.md). */
  standardsBody?: { code: string; name: { zh: string; en?: string }; users: Member[] };
  users: Array<{
    login: string;
    name: string;
    memberships: Array<{ township: string; posts: string[]; unit: string; backupPosts?: string[] }>;
  }>;
  /** Each township's duty rota, holders named by login (turned into user ids when seeded). */
  dutyRotas?: Record<string, DutyRotaData>;
};

export type DemoLogin = { login: string; password: string; name: string; townships: string[] };

function formatIssues(file: string, issues: Issue[]) {
  return (
    `${file} is not a valid config:\n` +
    issues.map((i) => `  ${i.path || "/"} [${i.code}] ${issueMessage(i).zh} / ${issueMessage(i).en}`).join("\n")
  );
}

export function loadDemoSeed(tenantsDir = env.tenantsDir) {
  const seed = readJson(path.join(tenantsDir, "demo-seed.json")) as DemoSeed;
  const lookup = templateLookupFromDir(path.join(tenantsDir, "templates"));
  const prepare = (file: string) => {
    const source = readJson(path.join(tenantsDir, file));
    const prepared = prepareConfig(source, lookup);
    if (!prepared.ok) throw new Error(formatIssues(file, prepared.issues));
    return { source, config: prepared.config };
  };
  const townships = seed.townships.map(prepare);
  const county = seed.countyConfig ? prepare(seed.countyConfig) : undefined;
  if (county)
    for (const u of seed.countyUsers ?? []) checkMembership(u.login, { ...u, township: "county" }, county.config);
  return { seed, townships, county };
}

function checkMembership(
  login: string,
  m: DemoSeed["users"][number]["memberships"][number],
  config: TownshipConfig | undefined,
) {
  if (!config) throw new Error(`demo user ${login}: no township ${m.township}`);
  if (!config.org?.units?.some((u) => u.id === m.unit))
    throw new Error(`demo user ${login}: unit ${m.unit} not in ${m.township}`);
  for (const post of m.posts) {
    if (!config.posts?.some((p) => p.id === post))
      throw new Error(`demo user ${login}: post ${post} not in ${m.township}`);
  }
}

export async function seedDemo(
  db: Db,
  tenantsDir = env.tenantsDir,
): Promise<{ created: boolean; logins: DemoLogin[] }> {
  const { seed, townships, county: countyConfig } = loadDemoSeed(tenantsDir);
  const countyUsers = seed.countyUsers ?? [];
  const body = seed.standardsBody;
  const logins = [
    ...(body?.users ?? []).map((u) => ({
      login: u.login,
      password: seed.password,
      name: u.name,
      townships: [body!.code],
    })),
    ...countyUsers.map((u) => ({
      login: u.login,
      password: seed.password,
      name: u.name,
      townships: [seed.county.code],
    })),
    ...seed.users.map((u) => ({
      login: u.login,
      password: seed.password,
      name: u.name,
      townships: u.memberships.map((m) => m.township),
    })),
  ];
  const bodyId = body ? await ensureStandardsBody(db, body, seed.password) : undefined;
  await publishTemplateFiles(db, path.join(tenantsDir, "templates"), "seed", appClock.now(), bodyId);
  const existing = await db.tenant.findUnique({ where: { code: seed.county.code }, select: { id: true } });
  if (existing) {
    // A demo database seeded before county users or the county's config existed gets them; nothing else changes.
    await seedMembers(db, existing.id, countyUsers, seed.password);
    if (countyConfig && !(await db.configVersion.count({ where: { tenantId: existing.id } })))
      await db.configVersion.create({ data: countyVersion(existing.id, countyConfig) });
    return { created: false, logins };
  }

  const configs = new Map(townships.map((t) => [t.config.id, t.config]));
  for (const user of seed.users)
    for (const m of user.memberships) checkMembership(user.login, m, configs.get(m.township));
  const passwordHash = await hashPassword(seed.password);

  await db.$transaction(async (tx) => {
    const county = await tx.tenant.create({
      data: { code: seed.county.code, kind: "county", name: seed.county.name.zh, nameEn: seed.county.name.en ?? null },
    });
    if (countyConfig) await tx.configVersion.create({ data: countyVersion(county.id, countyConfig) });
    const tenantIds = new Map<string, string>();
    for (const { source, config } of townships) {
      const tenant = await createTownship(tx, config, source, county.id, "seed");
      tenantIds.set(config.id, tenant.id);
    }
    for (const u of countyUsers) {
      const user = await tx.user.create({ data: { login: u.login, displayName: u.name, passwordHash } });
      await tx.membership.create({ data: { tenantId: county.id, userId: user.id, posts: u.posts, unitId: u.unit } });
    }
    const userIds = new Map<string, string>();
    for (const u of seed.users) {
      const user = await tx.user.create({ data: { login: u.login, displayName: u.name, passwordHash } });
      userIds.set(u.login, user.id);
      for (const m of u.memberships) {
        await tx.membership.create({
          data: {
            tenantId: tenantIds.get(m.township)!,
            userId: user.id,
            posts: m.posts,
            backupPosts: m.backupPosts ?? [],
            unitId: m.unit,
          },
        });
      }
    }
    for (const [township, rota] of Object.entries(seed.dutyRotas ?? {})) {
      const id = (login: string) => {
        const userId = userIds.get(login);
        if (!userId) throw new Error(`demo rota of ${township}: no demo user ${login}`);
        return userId;
      };
      const data: DutyRotaData = {
        ...rota,
        ...(rota.rotation ? { rotation: { ...rota.rotation, holders: rota.rotation.holders.map(id) } } : {}),
        ...(rota.weekly ? { weekly: rota.weekly.map((w) => ({ ...w, holders: w.holders.map(id) })) } : {}),
        ...(rota.dates ? { dates: rota.dates.map((d) => ({ ...d, holders: d.holders.map(id) })) } : {}),
      };
      await tx.dutyRota.create({ data: { tenantId: tenantIds.get(township)!, data: data as object } });
    }
  });
  return { created: true, logins };
}

function countyVersion(tenantId: string, c: { source: unknown; config: TownshipConfig }) {
  return {
    tenantId,
    version: 1,
    document: c.config as object,
    source: c.source as object,
    extendsRef: c.config.extends ?? null,
    publishedBy: "seed",
  };
}

/** Creates the members a tenant is missing (a demo database seeded before they existed gets them). */
async function seedMembers(db: Db, tenantId: string, users: Member[], password: string) {
  const present = new Set(
    (await db.user.findMany({ where: { login: { in: users.map((u) => u.login) } }, select: { login: true } })).map(
      (u) => u.login,
    ),
  );
  const missing = users.filter((u) => !present.has(u.login));
  if (!missing.length) return;
  const passwordHash = await hashPassword(password);
  await db.$transaction(async (tx) => {
    for (const u of missing) {
      const user = await tx.user.create({ data: { login: u.login, displayName: u.name, passwordHash } });
      await tx.membership.create({ data: { tenantId, userId: user.id, posts: u.posts, unitId: u.unit } });
    }
  });
}

async function ensureStandardsBody(
  db: Db,
  body: NonNullable<DemoSeed["standardsBody"]>,
  password: string,
): Promise<string> {
  const existing = await db.tenant.findUnique({ where: { code: body.code }, select: { id: true } });
  const id =
    existing?.id ??
    (
      await db.tenant.create({
        data: { code: body.code, kind: "standards", name: body.name.zh, nameEn: body.name.en ?? null },
        select: { id: true },
      })
    ).id;
  await seedMembers(db, id, body.users, password);
  return id;
}
