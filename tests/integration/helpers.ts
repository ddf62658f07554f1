import { createPrisma, type Db } from "../../app/server/db.server.ts";
import { seedDemo } from "../../app/server/seed.server.ts";
import { loadTenantContext } from "../../app/server/tenancy.server.ts";
import { createTestDatabase, type TestDatabase } from "../setup/services.ts";

export type Seeded = { database: TestDatabase; db: Db; contextOf: (login: string, township: string) => ReturnType<typeof loadTenantContext> };

/** A fresh database with the demo county seeded from tenants/. */
export async function seededDatabase(): Promise<Seeded> {
  const database = await createTestDatabase();
  const db = createPrisma(database.url, database.kind === "pglite");
  await seedDemo(db, "tenants");
  return {
    database,
    db,
    async contextOf(login, township) {
      const user = await db.user.findUniqueOrThrow({ where: { login }, select: { id: true, login: true, displayName: true, active: true, locale: true } });
      return loadTenantContext(db, user, township);
    },
  };
}

export async function teardown(s: Seeded | undefined) {
  await s?.db.$disconnect();
  await s?.database.drop();
}

export const validDispute = { summary: "邻里噪音纠纷", parties: 3, location: "桥头村5组", partyPhone: "13800001111", partyIdNumber: "33090219800101123X" };
