// Writes the next migration from the change in prisma/schema.prisma, with no database:
//   npm run db:diff -- <name>
// The previous schema is the snapshot kept beside the migrations (see docs/decisions/002-migrations.md).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";
import { PrismaPg } from "@prisma/adapter-pg";
import { bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";
import { SchemaEngine } from "@prisma/schema-engine-wasm";

const name = process.argv[2];
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error("usage: npm run db:diff -- <snake_case_name>");
  process.exit(2);
}
const schemaPath = "prisma/schema.prisma";
const snapshotPath = "prisma/migrations/schema.snapshot.prisma";
const next = readFileSync(schemaPath, "utf8");
const previous = existsSync(snapshotPath) ? readFileSync(snapshotPath, "utf8") : null;
const filters = { externalTables: [], externalEnums: [] };

// The engine wants a connection even for a pure diff: give it a throwaway in-memory PGlite.
const pglite = await PGlite.create();
const server = new PGLiteSocketServer({ db: pglite, port: 0, host: "127.0.0.1" });
await server.start();
const { port } = parseConn(server.getServerConn());
function parseConn(conn: string) {
  return { port: Number(conn.split(":").pop()) };
}
const engine = await SchemaEngine.new(
  { datamodels: [[schemaPath, next]] },
  () => {},
  bindMigrationAwareSqlAdapterFactory(
    new PrismaPg({ connectionString: `postgresql://postgres@127.0.0.1:${port}/postgres?sslmode=disable` }),
  ),
);
const result = await engine.diff({
  from: previous ? { tag: "schemaDatamodel", files: [{ path: snapshotPath, content: previous }] } : { tag: "empty" },
  to: { tag: "schemaDatamodel", files: [{ path: schemaPath, content: next }] },
  script: true,
  ...({ shadowDatabaseUrl: null } as object),
  exitCode: null,
  filters,
});
const sql: string = result.stdout ?? "";
if (!sql.trim() || sql.includes("This is an empty migration")) {
  console.log("No schema change.");
  process.exit(0);
}
const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
const dir = path.join("prisma/migrations", `${stamp}_${name}`);
mkdirSync(dir, { recursive: true });
writeFileSync(path.join(dir, "migration.sql"), sql);
writeFileSync(snapshotPath, next);
if (!existsSync("prisma/migrations/migration_lock.toml")) {
  writeFileSync("prisma/migrations/migration_lock.toml", 'provider = "postgresql"\n');
}
await server.stop();
await pglite.close();
console.log(`Wrote ${dir}/migration.sql`);
