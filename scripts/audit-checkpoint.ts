// `npm run audit:checkpoint [-- <tenant-code>…]`: sign the head of each changed audit chain now
// (the job runner also does this every AUDIT_CHECKPOINT_MINUTES). `--export [<tenant-code>…]`
// prints every checkpoint as JSON lines with the public key, for a county to keep outside the
// database and hand to `npm run audit:verify -- --checkpoints <file>`.
import { parseArgs } from "node:util";
import { exportCheckpoints, writeCheckpoints } from "#app/server/audit-checkpoints.server";
import { AuditKeyMissing } from "#app/server/audit-crypto.server";
import { createPrisma } from "#app/server/db.server";

const url = process.env.DATABASE_URL;
if (!url) {
  console.error("Set DATABASE_URL (the embedded database of npm start is served only while it runs).");
  process.exit(2);
}
let args: { values: { export?: boolean }; positionals: string[] };
try {
  args = parseArgs({ allowPositionals: true, options: { export: { type: "boolean" } } });
} catch (error) {
  console.error(`${(error as Error).message}\nusage: npm run audit:checkpoint -- [--export] [<tenant-code>…]`);
  process.exit(2);
}
const db = createPrisma(url);
let exitCode = 0;
try {
  if (args.values.export) {
    const ids = args.positionals.length
      ? (await db.tenant.findMany({ where: { code: { in: args.positionals } }, select: { id: true } })).map((t) => t.id)
      : undefined;
    process.stdout.write(await exportCheckpoints(db, ids));
  } else {
    for (const r of await writeCheckpoints(db, new Date(), { codes: args.positionals, force: true })) {
      if (r.refused) {
        exitCode = 1;
        console.log(`${r.code}: 审计链断开，未写入检查点 / chain broken, no checkpoint written: ${r.refused}`);
      } else
        console.log(
          r.written
            ? `${r.code}: checkpoint at seq ${r.seq} / 已在第 ${r.seq} 条处写入签名检查点`
            : `${r.code}: 无新记录 / unchanged`,
        );
    }
  }
} catch (error) {
  if (!(error instanceof AuditKeyMissing)) throw error;
  console.error(
    `${error.message}\n审计密钥缺失：请设置 AUDIT_HMAC_KEY 和 AUDIT_SIGNING_KEY，或指定 GRIDWORK_DATA_DIR / audit keys missing`,
  );
  exitCode = 2;
}
await db.$disconnect();
process.exit(exitCode);
