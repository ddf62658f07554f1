// `npm run audit:verify [-- <tenant-code>…]`: recompute every tenant's audit hash chain (or the
// named ones) against DATABASE_URL; exit 1 if any chain is broken.
import { verifyAuditChain } from "../app/server/audit.server.ts";
import { createPrisma } from "../app/server/db.server.ts";

const url = process.env.DATABASE_URL;
if (!url) {
  console.error("Set DATABASE_URL (the embedded database of npm start is served only while it runs).");
  process.exit(2);
}
const db = createPrisma(url);
const codes = process.argv.slice(2);
const tenants = await db.tenant.findMany({ where: codes.length ? { code: { in: codes } } : {}, orderBy: { code: "asc" } });
let broken = 0;
for (const t of tenants) {
  const check = await verifyAuditChain(db, t.id);
  if (check.ok) console.log(`${t.code}: ok, ${check.count} entries / 审计链完整`);
  else {
    broken++;
    console.log(`${t.code}: BROKEN at entry ${check.brokenAt} (${check.reason}) / 审计链在第 ${check.brokenAt} 条处断开`);
  }
}
await db.$disconnect();
process.exit(broken ? 1 : 0);
