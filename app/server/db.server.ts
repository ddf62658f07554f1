import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "#app/generated/prisma/client";
import { env } from "./env.server";

export type Db = InstanceType<typeof PrismaClient>;
export type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];
/** Either the client or an open transaction: what a function that only queries takes. */
export type Client = Db | Tx;

const globalForDb = globalThis as unknown as { gridworkPrisma?: Db };

/** `poolSize` (default 10) is the most connections the pool opens; benchmarks raise it. */
export function createPrisma(connectionString: string, embedded = false, poolSize = 10): Db {
  // PGlite is one PostgreSQL session: a pool of one keeps transactions from interleaving.
  const adapter = new PrismaPg({ connectionString, max: embedded ? 1 : poolSize });
  return new PrismaClient({ adapter });
}

export function getPrisma(): Db {
  if (!globalForDb.gridworkPrisma) {
    const url = env.databaseUrl;
    if (!url) throw new Error("DATABASE_URL is not set (npm start starts an embedded database and sets it).");
    globalForDb.gridworkPrisma = createPrisma(url, env.embeddedDatabase);
  }
  return globalForDb.gridworkPrisma;
}

export type TenantScope = { tenantId: string; userId: string };

/**
 * Runs `fn` in a transaction as the row-level-security role with the tenant and user set, so the
 * database itself refuses rows of other tenants even if a query forgot its filter
 * (docs/decisions/009-row-level-security.md). Request handling uses this; system work (sessions,
 * seeding, job handlers) uses the owner connection.
 */
export function withTenant<T>(db: Db, scope: TenantScope, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return db.$transaction(async (tx) => {
    // set_config('role', …, true) is SET LOCAL ROLE; one statement instead of two on every request.
    await tx.$executeRaw`SELECT set_config('role', 'gridwork_app', true), set_config('gridwork.tenant_id', ${scope.tenantId}, true), set_config('gridwork.user_id', ${scope.userId}, true)`;
    return fn(tx);
  });
}

/**
 * A request's way into its tenant's rows, built once by the guard (`requireTenantContext`): every
 * transaction runs under row-level security as that user in that tenant, so no call site can
 * forget the scope or name another one.
 */
export type TenantDb = { readonly scope: TenantScope; transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> };

export function tenantDb(db: Db, scope: TenantScope): TenantDb {
  return { scope, transaction: (fn) => withTenant(db, scope, fn) };
}

/** `ctx` whose transactions all run in `tx`: a request's several reads in one transaction. */
export function sharingTransaction<C extends { db: TenantDb }>(ctx: C, tx: Tx): C {
  return { ...ctx, db: { scope: ctx.db.scope, transaction: (fn) => fn(tx) } };
}
