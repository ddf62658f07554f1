// The zero-setup database: PGlite (PostgreSQL in WASM) in a local folder, served on a loopback
// port so Prisma, the migrator and psql talk to it exactly as to a real server
// (docs/decisions/001-embedded-database.md).
import { mkdirSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";

export type EmbeddedPostgres = { url: string; stop: () => Promise<void> };

export async function startEmbeddedPostgres(dataDir: string, port = 0): Promise<EmbeddedPostgres> {
  mkdirSync(dataDir, { recursive: true });
  const db = await PGlite.create(dataDir);
  const server = new PGLiteSocketServer({ db, port, host: "127.0.0.1", maxConnections: 8 });
  await server.start();
  const actualPort = Number(server.getServerConn().split(":").pop());
  return {
    // PGlite serves a single session; the app's pool is sized to 1 for it (see db.server.ts).
    url: `postgresql://postgres@127.0.0.1:${actualPort}/postgres?sslmode=disable`,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}
