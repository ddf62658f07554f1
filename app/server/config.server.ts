// The compiled config of each tenant's published version, cached by version (versions are immutable);
// a case's version is timed with the latest calendars (docs/decisions/016).
import path from "node:path";
import { parseCalendarFile, type CalendarFile } from "#engine/calendar";
import { calendarBasesNeeded, compileConfig, type CompiledConfig } from "#engine/config/index";
import { withRunningCalendars } from "#engine/deadline-impact";
import { DEFAULT_TIME_ZONE, type TownshipConfig } from "#schemas/township-config";
import { cached, tableCache } from "./context-cache.server";
import type { Client } from "./db.server";
import { env } from "./env.server";
import { readJson } from "./tenant-files.server";

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

async function compiledVersion(db: Client, id: string): Promise<CompiledConfig> {
  let compiled = cache.get(id);
  if (!compiled) {
    const row = await db.configVersion.findUniqueOrThrow({ where: { id }, select: { document: true } });
    compiled = compileTownshipConfig(row.document as unknown as TownshipConfig);
    cache.set(id, compiled);
  }
  return compiled;
}

/** A version exactly as published (the latest without `version`), its own calendars included. */
/** Which row is (tenant, version), and which is the latest: cleared on any publish. */
const versionRows = tableCache<{ id: string; version: number }>(["ConfigVersion"]);

export async function getConfigVersion(
  db: Client,
  tenantId: string,
  version?: number,
): Promise<{ compiled: CompiledConfig; version: number } | null> {
  const row = await cached(versionRows, `${tenantId}\n${version ?? "latest"}`, () =>
    db.configVersion.findFirst({
      where: { tenantId, ...(version === undefined ? {} : { version }) },
      orderBy: { version: "desc" },
      select: { id: true, version: true },
    }),
  );
  return row ? { compiled: await compiledVersion(db, row.id), version: row.version } : null;
}

const running = new WeakMap<CompiledConfig, WeakMap<CompiledConfig, CompiledConfig>>();

/**
 * The latest version, or the version a case was reported under (`version`) timed with the latest
 * version's calendars: a corrected calendar applies to running cases, their rules do not change
 * (docs/decisions/016-deadline-impact-preview.md).
 */
export async function getTenantConfig(
  db: Client,
  tenantId: string,
  version?: number,
): Promise<{ compiled: CompiledConfig; version: number } | null> {
  const latest = await getConfigVersion(db, tenantId);
  if (!latest || version === undefined || version === latest.version) return latest;
  const own = await getConfigVersion(db, tenantId, version);
  if (!own) return null;
  let byLatest = running.get(own.compiled);
  if (!byLatest) running.set(own.compiled, (byLatest = new WeakMap()));
  let compiled = byLatest.get(latest.compiled);
  if (!compiled) byLatest.set(latest.compiled, (compiled = withRunningCalendars(own.compiled, latest.compiled)));
  return { compiled, version: own.version };
}

/** The time zone of a township's current config (its periods are cut in it). */
export async function tenantTimeZone(db: Client, tenantId: string): Promise<string> {
  const current = await getTenantConfig(db, tenantId);
  if (!current) throw new Error(`Tenant ${tenantId} has no published config`);
  return current.compiled.defaults.timeZone;
}

/** A county has no config of its own: its periods are cut in its first township's zone (the schema's default without one). */
export async function countyTimeZone(db: Client, countyId: string): Promise<string> {
  // A county with its own config (ADR 039) says its time zone itself.
  if (await db.configVersion.count({ where: { tenantId: countyId } })) return tenantTimeZone(db, countyId);
  const first = await db.configVersion.findFirst({
    where: { tenant: { parentId: countyId, kind: "township" } },
    orderBy: [{ tenant: { code: "asc" } }],
    select: { tenantId: true },
  });
  return first ? tenantTimeZone(db, first.tenantId) : DEFAULT_TIME_ZONE;
}
