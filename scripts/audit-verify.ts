// `npm run audit:verify [-- --checkpoints <file>] [<tenant-code>…]`: recompute every tenant's keyed
// audit chain (or the named ones) against DATABASE_URL and hold it against the signed checkpoints
// in the database and, with --checkpoints, an exported copy kept elsewhere (npm run
// audit:checkpoint -- --export). Exit 1 if any chain is broken, naming where; 2 on wrong usage.
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { parseCheckpointLines } from "#app/server/audit-checkpoints.server";
import { AuditKeyMissing } from "#app/server/audit-crypto.server";
import { chainMessageText, verifyAuditChain, type Checkpoint } from "#app/server/audit.server";
import { createPrisma } from "#app/server/db.server";

const url = process.env.DATABASE_URL;
if (!url) {
  console.error("Set DATABASE_URL (the embedded database of npm start is served only while it runs).");
  process.exit(2);
}
let codes: string[] = [];
let external: Checkpoint[] = [];
try {
  const args = parseArgs({ allowPositionals: true, options: { checkpoints: { type: "string" } } });
  codes = args.positionals;
  if (args.values.checkpoints) external = parseCheckpointLines(readFileSync(args.values.checkpoints, "utf8"));
} catch (error) {
  console.error(`${(error as Error).message}\nusage: npm run audit:verify -- [--checkpoints <file>] [<tenant-code>…]`);
  process.exit(2);
}
const db = createPrisma(url);
const tenants = await db.tenant.findMany({
  where: codes.length ? { code: { in: codes } } : {},
  orderBy: { code: "asc" },
});
let broken = 0;
try {
  for (const t of tenants) {
    const own = await db.auditCheckpoint.findMany({ where: { tenantId: t.id } });
    const check = await verifyAuditChain(db, t.id, {
      checkpoints: [...own, ...external.filter((c) => c.tenantId === t.id)],
    });
    if (check.ok) {
      const anchor =
        check.anchoredAt === undefined
          ? chainMessageText({ key: "chain.notAnchored", params: {} })
          : chainMessageText({ key: "chain.anchored", params: { m: check.anchoredAt } });
      console.log(`${t.code}: ok, ${check.count} entries / 审计链完整，共 ${check.count} 条; ${anchor}`);
    } else {
      broken++;
      console.log(`${t.code}: BROKEN / 审计链断开: ${chainMessageText(check.message)}`);
    }
  }
  // A checkpoint kept outside the database names a tenant the database no longer has.
  if (!codes.length) {
    const known = new Set(tenants.map((t) => t.id));
    for (const id of new Set(external.map((c) => c.tenantId).filter((id) => !known.has(id)))) {
      broken++;
      console.log(
        `${id}: BROKEN / 审计链断开: 检查点所属的租户不在数据库中 / the checkpoint's tenant is missing from the database`,
      );
    }
  }
} catch (error) {
  if (!(error instanceof AuditKeyMissing)) throw error;
  console.error(
    `${error.message}\n审计密钥缺失：请设置 AUDIT_HMAC_KEY 和 AUDIT_SIGNING_KEY，或指定 GRIDWORK_DATA_DIR / audit keys missing`,
  );
  await db.$disconnect();
  process.exit(2);
}
await db.$disconnect();
process.exit(broken ? 1 : 0);
