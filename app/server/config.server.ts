// The compiled config of each tenant's published version, cached by version (versions are immutable).
import { compileConfig, type CompiledConfig } from "../../engine/config/index.ts";
import type { TownshipConfig } from "../../schemas/township-config.ts";
import type { Db } from "./db.server.ts";

const cache = new Map<string, CompiledConfig>();

export async function getTenantConfig(db: Db, tenantId: string, version?: number): Promise<{ compiled: CompiledConfig; version: number } | null> {
  const row = await db.configVersion.findFirst({
    where: { tenantId, ...(version === undefined ? {} : { version }) },
    orderBy: { version: "desc" },
    select: { id: true, version: true, document: true },
  });
  if (!row) return null;
  let compiled = cache.get(row.id);
  if (!compiled) {
    compiled = compileConfig(row.document as unknown as TownshipConfig);
    cache.set(row.id, compiled);
  }
  return { compiled, version: row.version };
}
