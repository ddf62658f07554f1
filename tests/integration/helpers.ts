import { createPrisma, type Db } from "#app/server/db.server";
import { seedDemo } from "#app/server/seed.server";
import { loadTenantContext } from "#app/server/tenancy.server";
import { createTestDatabase, type TestDatabase } from "#tests/setup/services";

export type Seeded = {
  database: TestDatabase;
  db: Db;
  contextOf: (login: string, township: string) => ReturnType<typeof loadTenantContext>;
  /** The member's context in the township (East Lake by default); throws for a non-member. */
  context: (login: string, township?: string) => Promise<NonNullable<Awaited<ReturnType<typeof loadTenantContext>>>>;
};

/** A fresh database with the demo county seeded from tenants/. */
export async function seededDatabase(): Promise<Seeded> {
  const database = await createTestDatabase();
  const db = createPrisma(database.url, database.kind === "pglite");
  await seedDemo(db, "tenants");
  const contextOf = async (login: string, township: string) => {
    const user = await db.user.findUniqueOrThrow({
      where: { login },
      select: { id: true, login: true, displayName: true, active: true },
    });
    return loadTenantContext(db, user, township, new Date());
  };
  return {
    database,
    db,
    contextOf,
    async context(login, township = "east-lake") {
      const c = await contextOf(login, township);
      if (!c) throw new Error(`${login} is not a member of ${township}`);
      return c;
    },
  };
}

export async function teardown(s: Seeded | undefined) {
  await s?.db.$disconnect();
  await s?.database.drop();
}

export const validDispute = {
  summary: "邻里噪音纠纷",
  parties: 3,
  location: "桥头村5组",
  partyPhone: "13800001111",
  partyIdNumber: "33090219800101123X",
};

/** Polls `check` until it holds; fails naming `what` after `timeoutMs`. */
export async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 30_000, everyMs = 50) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
