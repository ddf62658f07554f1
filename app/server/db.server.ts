import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "../generated/prisma/client.ts";
import { env } from "./env.server.ts";

export type Db = InstanceType<typeof PrismaClient>;
export type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];

const globalForDb = globalThis as unknown as { gridworkPrisma?: Db };

export function createPrisma(connectionString: string, embedded = false): Db {
  // PGlite is one PostgreSQL session: a pool of one keeps transactions from interleaving.
  const adapter = new PrismaPg({ connectionString, max: embedded ? 1 : 10 });
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
