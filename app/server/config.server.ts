// The compiled config of each tenant's published version, cached by version (versions are immutable).
import path from "node:path";
import { parseCalendarFile, type CalendarFile } from "../../engine/calendar.ts";
import { calendarBasesNeeded, compileConfig, type CompiledConfig } from "../../engine/config/index.ts";
import type { TownshipConfig } from "../../schemas/township-config.ts";
import type { Db } from "./db.server.ts";
import { env } from "./env.server.ts";
import { readJson } from "./tenant-files.server.ts";

const cache = new Map<string, CompiledConfig>();
const calendarFiles = new Map<string, CalendarFile>();

/** The shipped calendars (tenants/calendars/<id>.json) a config's calendars build on. */
function calendarBasesFor(config: TownshipConfig): Record<string, CalendarFile> {
  const out: Record<string, CalendarFile> = {};
  for (const id of calendarBasesNeeded(config)) {
    let file = calendarFiles.get(id);
    if (!file) {
      file = parseCalendarFile(readJson(path.join(env.tenantsDir, "calendars", `${id}.json`)));
      calendarFiles.set(id, file);
    }
    out[id] = file;
  }
  return out;
}

export function compileTownshipConfig(config: TownshipConfig): CompiledConfig {
  return compileConfig(config, { calendarBases: calendarBasesFor(config) });
}

export async function getTenantConfig(db: Db, tenantId: string, version?: number): Promise<{ compiled: CompiledConfig; version: number } | null> {
  const row = await db.configVersion.findFirst({
    where: { tenantId, ...(version === undefined ? {} : { version }) },
    orderBy: { version: "desc" },
    select: { id: true, version: true, document: true },
  });
  if (!row) return null;
  let compiled = cache.get(row.id);
  if (!compiled) {
    compiled = compileTownshipConfig(row.document as unknown as TownshipConfig);
    cache.set(row.id, compiled);
  }
  return { compiled, version: row.version };
}
